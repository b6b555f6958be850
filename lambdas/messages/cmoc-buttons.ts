import { SEVERITIES } from '../domain/index.ts';
import { actionIdFor, putAction, type ActionRecord } from '../adapters/actions.ts';

/**
 * The CMOC's buttons. Like the owners', each carries only an opaque action id; the action record says who
 * may press it. "Approve draft" completes a parked review task; the others become an event for the
 * incident's execution (a `cmoc_update`), so they reach it through the same hand-over as PagerDuty's.
 */
export const CMOC_BUTTONS = {
  start: 'cmoc:start',
  noImpact: 'cmoc:no_impact',
  approve: 'cmoc:approve',
  sendNow: 'cmoc:send_now',
} as const;

export type CmocButton = (typeof CMOC_BUTTONS)[keyof typeof CMOC_BUTTONS];

/** The CMOC's severity select; a select carries no value, so its action id rides in the block id. */
export const SEVERITY_SELECT = 'cmoc:severity';

export function severityBlock(actionId: string, current: string): Record<string, unknown> {
  const option = (sev: string) => ({ text: { type: 'plain_text', text: sev }, value: sev });
  return {
    type: 'actions',
    block_id: `cmoc-severity:${actionId}`,
    elements: [
      {
        type: 'static_select',
        action_id: SEVERITY_SELECT,
        placeholder: { type: 'plain_text', text: 'Change severity' },
        initial_option: option(current),
        options: SEVERITIES.map(option),
      },
    ],
  };
}

const LABELS: Record<CmocButton, { text: string; style?: 'primary' | 'danger' }> = {
  [CMOC_BUTTONS.start]: { text: 'Start customer comms', style: 'primary' },
  [CMOC_BUTTONS.noImpact]: { text: 'No customer impact', style: 'danger' },
  [CMOC_BUTTONS.approve]: { text: 'Approve draft', style: 'primary' },
  [CMOC_BUTTONS.sendNow]: { text: 'Send an update now' },
};

export function buttonsBlock(actionId: string, buttons: CmocButton[]): Record<string, unknown> {
  return {
    type: 'actions',
    block_id: 'cmoc-decision',
    elements: buttons.map((id) => ({
      type: 'button',
      text: { type: 'plain_text', text: LABELS[id].text },
      action_id: id,
      value: actionId,
      ...(LABELS[id].style ? { style: LABELS[id].style } : {}),
    })),
  };
}

/**
 * Stores a CMOC action once: the same `key` always gives the same action (a retried notice reuses it).
 * `taskToken` is empty for buttons that become events rather than complete a task.
 */
export async function cmocAction(input: {
  key: string;
  incidentId: string;
  cmocId: string;
  round?: number;
  taskToken?: string;
  expiresInSeconds: number;
}): Promise<ActionRecord> {
  return putAction({
    actionId: actionIdFor(input.key),
    kind: 'cmoc-decision',
    taskToken: input.taskToken ?? '',
    incidentId: input.incidentId,
    round: input.round ?? 0,
    ownerId: input.cmocId,
    allowedPersonIds: [input.cmocId],
    expiresAt: Math.floor(Date.now() / 1000) + input.expiresInSeconds,
    status: 'pending',
  });
}
