import type { Button } from '@slack/types';
import type { Account, Person } from '../domain/roster.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { AccountDraft } from '../domain/records/round.ts';
import type { Phase } from '../contract/payloads.ts';
import { formatClock } from '../domain/index.ts';
import { SECTION_TEXT_LIMIT } from '../domain/slack-sections.ts';
import { clip, quoted, someNames } from './mrkdwn.ts';
import type { SlackMessage } from './slack-message.ts';

/** Slack's limit for a header block's text. */
const HEADER_TEXT_LIMIT = 150;

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

/** What an ask's DM shows: the incident, whose accounts, the draft as the customer will see it. */
export interface AskDraft {
  incident: IncidentRecord;
  phase: Phase;
  /** Who is asked: the owner, or the backup when `cover` is set. */
  owner: Person;
  accounts: Account[];
  drafts: AccountDraft[];
  /** Set when the DM goes to a regional backup: `owner` is then the backup, `cover.owner` the account owner. */
  cover?: Cover;
}

/** The DM without its buttons and deadline: what stays once the ask has ended (services/asks.ts). */
export function askDraftDm(input: AskDraft): SlackMessage {
  const { incident, owner, accounts, drafts, cover } = input;
  const names = accounts.map((a) => a.name);
  const preview = drafts[0]?.slack.text ?? '';
  const plural = names.length === 1 ? '' : 's';
  const whose = cover ? `${cover.owner.name}'s` : 'your';
  const text = cover
    ? `${incident.severity} ${incident.title}: please cover ${cover.owner.name} (${cover.why}) — a ${PHASE_LABEL[input.phase]} is ready for ${names.length} of their accounts`
    : `${incident.severity} ${incident.title}: a ${PHASE_LABEL[input.phase]} is ready for ${names.length} of your accounts`;
  const lead = cover
    ? `Hi ${owner.name.split(' ')[0]}, you're the regional backup for ${cover.owner.name}, who ${cover.why}. The ${PHASE_LABEL[input.phase]} is drafted for *${whose} ${names.length} affected account${plural}*: `
    : `Hi ${owner.name.split(' ')[0]}, the ${PHASE_LABEL[input.phase]} is drafted for *your ${names.length} affected account${plural}*: `;
  // However many accounts and however long the draft, each section stays within Slack's limit.
  const intro = clip(`${lead}${someNames(names, SECTION_TEXT_LIMIT - lead.length - 1)}.`, SECTION_TEXT_LIMIT);
  const draftHead = `*Draft* (${cover ? 'signed by you when you send it' : 'signed by you'}; greeting per account):\n`;
  return {
    text,
    blocks: [
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: clip(`${incident.severity} · ${incident.title}`, HEADER_TEXT_LIMIT),
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: intro } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: draftHead + quoted(preview, SECTION_TEXT_LIMIT - draftHead.length) },
      },
    ],
  };
}

/** The ask's DM: the draft, the buttons, and until when the person has, then who is asked next. */
export function ownerDm(
  input: AskDraft & {
    actionId: string;
    answerBy: Date;
    /** Who is asked when this ask runs out (domain/who-is-asked.ts): a regional backup, or the CMOC. */
    then: 'backup' | 'cmoc';
  },
): SlackMessage {
  const { actionId, cover } = input;
  const button = (label: string, actionIdName: string, style?: 'primary' | 'danger'): Button => ({
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: actionIdName,
    value: actionId,
    ...(style ? { style } : {}),
  });
  const next = input.then === 'backup' ? 'a regional backup is asked to send it' : 'the CMOC takes over';
  const draft = askDraftDm(input);
  return {
    text: draft.text,
    blocks: [
      ...draft.blocks,
      {
        type: 'actions',
        block_id: 'owner-decision',
        elements: [
          button(cover ? 'Send to these accounts' : 'Send to my accounts', OWNER_BUTTONS.send, 'primary'),
          button("I've sent it myself", OWNER_BUTTONS.sentMyself),
          button(
            input.then === 'backup' ? "I can't — hand to backup" : "I can't — hand to the CMOC",
            OWNER_BUTTONS.cant,
            'danger',
          ),
          button('Edit', OWNER_BUTTONS.edit),
        ],
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: `Please answer by ${clock(input.answerBy)}; after that ${next}.` },
        ],
      },
    ],
  };
}
