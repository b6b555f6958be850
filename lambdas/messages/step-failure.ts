import { formatClock } from '../domain/index.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { StepFailure } from '../domain/records/action.ts';
import { whatHappened } from '../domain/step-failure.ts';
import type { SlackMessage } from './slack-message.ts';

/**
 * The CMOC's DM when a step of an incident's comms failed past its retries: which step, what went wrong,
 * and the two ways on. Like every CMOC button, each carries only the opaque action id.
 */
export const RECOVERY_BUTTONS = { retry: 'recovery:retry', stop: 'recovery:stop' } as const;
export type RecoveryButton = (typeof RECOVERY_BUTTONS)[keyof typeof RECOVERY_BUTTONS];

const clock = (iso: string) => formatClock(new Date(iso), 'UTC');

export interface FailureDmInput {
  incident: Pick<IncidentRecord, 'severity' | 'title' | 'incidentId'>;
  failure: StepFailure;
  actionId: string;
  /** Inside a round: the round and whose accounts the step was for. */
  round?: number;
  ownerName?: string;
}

function whereText(input: Pick<FailureDmInput, 'round' | 'ownerName'>): string {
  if (input.round === undefined) return '';
  return input.ownerName
    ? ` (round ${input.round}, ${input.ownerName}'s accounts)`
    : ` (round ${input.round})`;
}

/** The failure in words: "*Send to the owner's accounts* (round 2, Ada's accounts) failed with an error." */
export function failureText(input: Omit<FailureDmInput, 'actionId'>): string {
  const { incident, failure } = input;
  const why = failure.message ? `: ${failure.message}` : '';
  return [
    `*${incident.severity} · ${incident.title}*`,
    `:warning: A step of this incident's comms kept failing, so it was stopped after its retries: *${failure.step}*${whereText(input)} ${whatHappened(failure.error)}.`,
    `Error: \`${failure.error}\`${why}`,
    "Nothing more goes out from this step until you decide. *Try again* runs the step again from where it stopped (what was sent already is not sent again). *Stop comms* ends this incident's automatic comms.",
  ].join('\n');
}

export function failureDm(input: FailureDmInput): SlackMessage {
  const text = failureText(input);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        block_id: 'recovery',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Try again' },
            action_id: RECOVERY_BUTTONS.retry,
            value: input.actionId,
            style: 'primary',
          },
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Stop comms' },
            action_id: RECOVERY_BUTTONS.stop,
            value: input.actionId,
            style: 'danger',
            confirm: {
              title: { type: 'plain_text', text: 'Stop comms?' },
              text: {
                type: 'mrkdwn',
                text: 'No more automatic updates go to customers for this incident. Send anything further by hand.',
              },
              confirm: { type: 'plain_text', text: 'Stop comms' },
              deny: { type: 'plain_text', text: 'Cancel' },
            },
          },
        ],
      },
    ],
  };
}

/** What the failure DM becomes once it is answered (or comms were stopped from another failure). */
export function answeredDm(input: Omit<FailureDmInput, 'actionId'>, outcome: string): SlackMessage {
  const text = failureText(input);
  return {
    text: `${text} — ${outcome}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] },
    ],
  };
}

export const triedAgainOutcome = (name: string, at: string): string =>
  `↻ ${name} pressed Try again at ${clock(at)}: the step is running again.`;

export const stoppedOutcome = (name: string, at: string): string =>
  `⏹ ${name} stopped this incident's comms at ${clock(at)}. No more automatic updates go out; send anything further by hand.`;

/** What a press is told when the failure is no longer waiting for an answer. */
export const RECOVERY_REFUSED = {
  notWaiting:
    'This step is no longer waiting for a decision (it was answered, or the incident moved on). Nothing changed.',
  stopped: (name: string, at: string) =>
    `Comms for this incident were already stopped by ${name} at ${clock(at)}. Nothing changed.`,
  notCmoc: (cmoc: string) =>
    `Only the incident's CMOC (${cmoc}) can decide this; your press changed nothing.`,
} as const;

/** `/comms resume`'s answers. */
export const RESUME_REPLIES = {
  nothing: (incidentId: string) =>
    `Nothing is waiting on a failed step in incident ${incidentId}: its comms are running (or have ended). Nothing changed.`,
  stopped: (incidentId: string, name: string, at: string) =>
    `Comms for incident ${incidentId} were stopped by ${name} at ${clock(at)}; there is nothing to resume.`,
  posted: (count: number, cmoc: string, you: boolean) =>
    `${count === 1 ? 'The failed step was' : `${count} failed steps were`} posted again to ${you ? 'you' : `${cmoc} (the CMOC)`} with *Try again* and *Stop comms*.`,
} as const;
