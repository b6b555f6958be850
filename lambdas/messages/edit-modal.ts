import type { ModalView } from '@slack/types';
import type { ToneFinding } from '../domain/index.ts';
import type { Person } from '../domain/roster.ts';
import { formatClock } from '../domain/index.ts';
import { SECTION_TEXT_LIMIT } from '../domain/slack-sections.ts';
import { escaped, quoted, someNames } from './mrkdwn.ts';

/**
 * "Edit" on the owner's DM: the modal with the draft, what it says when the tone check flags the text,
 * and what the DM says once the edited text went out. The ids are read back from the submission
 * (handlers/http/slack-interactions/edit-modal.ts), so they live here with the view that sets them.
 */
export const EDIT_CALLBACK_ID = 'owner:edit';
export const EDIT_BLOCK = { draft: 'draft', confirm: 'confirm' } as const;
export const EDIT_ELEMENT = { text: 'text', anyway: 'anyway' } as const;
/** The value of the "send anyway" box when it is ticked. */
export const SEND_ANYWAY = 'send-anyway';
/** Slack's limit for a plain_text_input. */
const MAX_TEXT = SECTION_TEXT_LIMIT;

export function editView(input: {
  actionId: string;
  body: string;
  accounts: string[];
  hasSms: boolean;
}): ModalView {
  const n = input.accounts.length;
  const smsNote = input.hasSms ? ' Text messages keep the short drafted wording.' : '';
  return textModal({
    callbackId: EDIT_CALLBACK_ID,
    metadata: input.actionId,
    title: 'Edit the update',
    submit: 'Send to my accounts',
    head: `Goes to your ${n} account${n === 1 ? '' : 's'}: `,
    accounts: input.accounts,
    tail: `Each keeps its own greeting and subject above this text.${smsNote}`,
    label: 'Update',
    body: input.body,
  });
}

/**
 * A modal for an update's text, checked for tone on submit: what it goes to (`head`, the account names as
 * many as fit, `tail`), the text, and the "send anyway" box its findings point at. The Edit and Correct
 * modals are both this, so a tone finding reads and is overridden the same way in each.
 */
export function textModal(input: {
  callbackId: string;
  metadata: string;
  title: string;
  submit: string;
  head: string;
  accounts: string[];
  tail: string;
  label: string;
  body: string;
}): ModalView {
  const { head, tail } = input;
  return {
    type: 'modal',
    callback_id: input.callbackId,
    private_metadata: input.metadata,
    title: { type: 'plain_text', text: input.title },
    submit: { type: 'plain_text', text: input.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${head}${someNames(input.accounts, SECTION_TEXT_LIMIT - head.length - tail.length - 2)}. ${tail}`,
        },
      },
      {
        type: 'input',
        block_id: EDIT_BLOCK.draft,
        label: { type: 'plain_text', text: input.label },
        element: {
          type: 'plain_text_input',
          action_id: EDIT_ELEMENT.text,
          multiline: true,
          max_length: MAX_TEXT,
          initial_value: input.body.slice(0, MAX_TEXT),
        },
      },
      {
        type: 'input',
        block_id: EDIT_BLOCK.confirm,
        optional: true,
        label: { type: 'plain_text', text: 'Tone check' },
        element: {
          type: 'checkboxes',
          action_id: EDIT_ELEMENT.anyway,
          options: [
            {
              text: { type: 'plain_text', text: 'Send it even if the tone check flags something' },
              value: SEND_ANYWAY,
            },
          ],
        },
      },
    ],
  };
}

/** Shown under the text when the tone check flags it: the first two findings, and how many more. */
export function findingsText(findings: ToneFinding[]): string {
  const shown = findings.slice(0, 2).map((f) => f.message);
  const more = findings.length > 2 ? ` (+${findings.length - 2} more)` : '';
  return `Tone check: ${shown.join(' · ')}${more}`.slice(0, 1900);
}

/** The DM once the edited text went out: who edited and sent it for whom, and the text as sent. */
export function sentAsEdited(input: {
  presser: Person;
  /** The account owner's name when the presser covered for them; undefined for the owner's own press. */
  coveredFor: string | undefined;
  pressedAt: string;
  findings: number;
  text: string;
}): { outcome: string; summary: string } {
  const whose = input.coveredFor === undefined ? 'their accounts' : `${input.coveredFor}'s accounts`;
  const despite =
    input.findings > 0
      ? ` (sent as written despite ${input.findings} tone note${input.findings === 1 ? '' : 's'})`
      : '';
  const at = formatClock(new Date(input.pressedAt), 'UTC');
  return {
    outcome: `✏️ ${input.presser.name} edited the draft and sent it to ${whose} at ${at}${despite}.`,
    summary: `*Sent as edited:*\n${quoted(escaped(input.text), SECTION_TEXT_LIMIT - 20)}`,
  };
}
