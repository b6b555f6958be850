import type { KnownBlock } from '@slack/types';
import { formatClock } from '../domain/index.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { RoundRecord } from '../domain/records/round.ts';
import { PHASE_LABEL } from './ask-to-send.ts';
import { buttonsBlock, CMOC_BUTTONS } from './cmoc-buttons.ts';
import { quoted } from './mrkdwn.ts';
import type { SlackMessage } from './slack-message.ts';

/**
 * The CMOC's review of a drafted round: what is drafted for how many accounts, when it goes ahead on its
 * own, one draft quoted as the customer will see it, and "Approve draft".
 */
export function reviewDm(input: {
  incident: IncidentRecord;
  round: RoundRecord;
  /** One owner's first draft, in Slack mrkdwn. */
  preview: string;
  goesAt: Date;
  actionId: string;
}): SlackMessage {
  const { incident, round, preview } = input;
  const text =
    `*${incident.severity} · ${incident.title}*\nThe ${PHASE_LABEL[round.phase]} (round ${round.round}) is drafted for ` +
    `${round.accountIds.length} accounts of ${round.owners.length} owners. It goes to the owners at ${formatClock(input.goesAt, 'UTC')}, or as soon as you approve it.`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text } },
    { type: 'section', text: { type: 'mrkdwn', text: quoted(preview) } },
    buttonsBlock(input.actionId, [CMOC_BUTTONS.approve]),
  ];
  return { text, blocks };
}
