import type { Account, Person } from '../domain/roster.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { AccountDraft } from '../domain/records/round.ts';
import type { Phase } from '../contract/payloads.ts';
import { formatClock } from '../domain/index.ts';

/** Button action ids; the value of every button is the opaque action id, never a task token. */
export const OWNER_BUTTONS = {
  send: 'owner:send',
  sentMyself: 'owner:sent_myself',
  cant: 'owner:cant',
  /** Opens a modal to edit the draft before sending it (handlers/http/slack-interactions/edit-modal.ts). */
  edit: 'owner:edit',
} as const;

export const PHASE_LABEL: Record<Phase, string> = {
  initial: 'first update',
  update: 'scheduled update',
  resolution: 'resolution update',
  'maintenance-heads-up': 'maintenance heads-up',
  'maintenance-complete': 'maintenance completion notice',
  postmortem: 'write-up follow-up',
};

/** A regional backup asked instead of the owner: whom they cover, and why the owner is not asked. */
export interface Cover {
  owner: Person;
  why: string;
}

const clock = (at: Date): string => formatClock(at, 'UTC');

/** The owner's DM: which of their accounts are affected, the draft as the customer will see it, buttons. */
export function ownerDm(input: {
  incident: IncidentRecord;
  phase: Phase;
  owner: Person;
  accounts: Account[];
  drafts: AccountDraft[];
  actionId: string;
  answerBy: Date;
  /** Set when the DM goes to a regional backup: `owner` is then the backup, `cover.owner` the account owner. */
  cover?: Cover;
}): { text: string; blocks: unknown[] } {
  const { incident, owner, accounts, drafts, actionId, cover } = input;
  const names = accounts.map((a) => a.name);
  const preview = drafts[0]?.slack.text ?? '';
  const plural = names.length === 1 ? '' : 's';
  const whose = cover ? `${cover.owner.name}'s` : 'your';
  const text = cover
    ? `${incident.severity} ${incident.title}: please cover ${cover.owner.name} (${cover.why}) — a ${PHASE_LABEL[input.phase]} is ready for ${names.length} of their accounts`
    : `${incident.severity} ${incident.title}: a ${PHASE_LABEL[input.phase]} is ready for ${names.length} of your accounts`;
  const intro = cover
    ? `Hi ${owner.name.split(' ')[0]}, you're the regional backup for ${cover.owner.name}, who ${cover.why}. The ${PHASE_LABEL[input.phase]} is drafted for *${whose} ${names.length} affected account${plural}*: ${names.join(', ')}.`
    : `Hi ${owner.name.split(' ')[0]}, the ${PHASE_LABEL[input.phase]} is drafted for *your ${names.length} affected account${plural}*: ${names.join(', ')}.`;
  const button = (label: string, actionIdName: string, style?: 'primary' | 'danger') => ({
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: actionIdName,
    value: actionId,
    ...(style ? { style } : {}),
  });
  return {
    text,
    blocks: [
      {
        type: 'header',
        text: { type: 'plain_text', text: `${incident.severity} · ${incident.title}`.slice(0, 150) },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: intro,
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*Draft* (${cover ? 'signed by you when you send it' : 'signed by you'}; greeting per account):\n>${preview.split('\n').join('\n>')}`,
        },
      },
      {
        type: 'actions',
        block_id: 'owner-decision',
        elements: [
          button(cover ? 'Send to these accounts' : 'Send to my accounts', OWNER_BUTTONS.send, 'primary'),
          button("I've sent it myself", OWNER_BUTTONS.sentMyself),
          button(
            cover ? "I can't — hand to the CMOC" : "I can't — hand to backup",
            OWNER_BUTTONS.cant,
            'danger',
          ),
          button('Edit', OWNER_BUTTONS.edit),
        ],
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Please answer by ${clock(input.answerBy)}; after that the CMOC takes over.`,
          },
        ],
      },
    ],
  };
}

/** What the DM turns into after a press: the decision, who made it and when, no buttons left to press. */
export function decidedDm(original: { text: string }, outcome: string): { text: string; blocks: unknown[] } {
  return {
    text: `${original.text} — ${outcome}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: original.text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] },
    ],
  };
}
