import type { ActionsBlock, ModalView } from '@slack/types';
import { fitSms, toGsmFriendly } from '../domain/sms.ts';
import { formatClock } from '../domain/index.ts';
import { withEditedBody } from '../domain/edited-drafts.ts';
import type { AccountDraft } from '../domain/records/round.ts';
import { mrkdwnSections } from '../domain/slack-sections.ts';
import { EDIT_BLOCK, EDIT_ELEMENT, SEND_ANYWAY, textModal } from './edit-modal.ts';

/**
 * Correcting an update that went out (`/comms correct`, or Correct on the sender's "sent" DM): the modal,
 * what each customer then sees, and what the corrector is told. The modal reuses the Edit modal's blocks
 * (text + "send anyway"), so the tone check's findings show the same way; the submission is read back in
 * handlers/http/slack-interactions/correct-modal.ts.
 */
export const CORRECT_CALLBACK_ID = 'correct:update';
export { EDIT_BLOCK as CORRECT_BLOCK, EDIT_ELEMENT as CORRECT_ELEMENT, SEND_ANYWAY };

/** Which update the modal corrects: ids only (private_metadata is shown back to us, never to others). */
export interface CorrectionTarget {
  incidentId: string;
  round: number;
  senderId: string;
}

export function correctView(input: {
  target: CorrectionTarget;
  body: string;
  accounts: string[];
  sentAt: string;
}): ModalView {
  const n = input.accounts.length;
  return textModal({
    callbackId: CORRECT_CALLBACK_ID,
    metadata: JSON.stringify(input.target),
    title: 'Correct the update',
    submit: 'Send the correction',
    head: `Corrects the update sent at ${formatClock(new Date(input.sentAt), 'UTC')} to ${n} account${n === 1 ? '' : 's'}: `,
    accounts: input.accounts,
    tail: 'Slack posts are edited in place and marked edited; email and SMS recipients get a short correction.',
    label: 'Corrected update',
    body: input.body,
  });
}

/** Reads the modal's private_metadata back; undefined when it is not a correction target. */
export function targetOf(metadata: string | undefined): CorrectionTarget | undefined {
  try {
    const t = JSON.parse(metadata ?? '') as Partial<CorrectionTarget>;
    return typeof t.incidentId === 'string' && Number.isInteger(t.round) && typeof t.senderId === 'string'
      ? { incidentId: t.incidentId, round: t.round!, senderId: t.senderId }
      : undefined;
  } catch {
    return undefined;
  }
}

const PARAGRAPH = '\n\n';

/** The customer's Slack post as corrected: the same greeting and subject, the new text, marked edited. */
export function correctedPost(
  draft: AccountDraft,
  text: string,
  at: Date,
): { text: string; blocks: ReturnType<typeof mrkdwnSections> } {
  const parts = [
    ...withEditedBody(draft, text).slack.text.split(PARAGRAPH),
    `_(edited ${formatClock(at, 'UTC')})_`,
  ];
  return { text: parts.join(PARAGRAPH), blocks: mrkdwnSections(parts) };
}

/** The email an email recipient gets: "Correction:" before the subject, the corrected text under the greeting. */
export function correctionEmail(
  draft: AccountDraft,
  text: string,
  sentAt: string,
): { subject: string; text: string; html: string } {
  const intro = `A correction to our update of ${formatClock(new Date(sentAt), 'UTC')}. It should have read:`;
  const edited = withEditedBody(draft, `${intro}${PARAGRAPH}${text}`);
  return {
    subject: `Correction: ${draft.email.subject}`,
    text: edited.email.text,
    html: edited.email.html ?? '',
  };
}

/** The SMS a number gets: short, fitted to the segments an update may use. */
export function correctionSms(text: string, company: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return fitSms([`Correction to our last update: ${flat}`], ` - ${toGsmFriendly(company)}`).text;
}

/** Said to the corrector when the correction is out (or as far as it got). */
export function correctionOutcome(report: {
  slack: number;
  email: number;
  sms: number;
  failed: number;
  pending: number;
  alreadyDone: number;
}): string {
  const parts = [
    `${report.slack} Slack post${report.slack === 1 ? '' : 's'} edited`,
    `${report.email} email${report.email === 1 ? '' : 's'}`,
    `${report.sms} SMS`,
  ];
  const again = report.alreadyDone > 0 ? ` (${report.alreadyDone} already corrected before)` : '';
  const failed = report.failed > 0 ? ` ${report.failed} could not be corrected; see the log.` : '';
  const pending =
    report.pending > 0
      ? ` ${report.pending} not done yet: send the same text again to finish them (nobody gets it twice).`
      : '';
  return `✏️ Correction sent: ${parts.join(', ')}${again}.${failed}${pending}`;
}

/** The button on the sender's "sent" DM that opens the correction of that update. */
export const CORRECT_BUTTON = 'correct:open';

/** The "sent" DM with a Correct button under its outcome: the update it opens is named by ids only. */
export function withCorrectButton<M extends { text: string; blocks: readonly object[] }>(
  message: M,
  target: CorrectionTarget,
): M {
  const actions: ActionsBlock = {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: CORRECT_BUTTON,
        text: { type: 'plain_text', text: 'Correct' },
        value: JSON.stringify(target),
      },
    ],
  };
  return { ...message, blocks: [...message.blocks, actions] };
}
