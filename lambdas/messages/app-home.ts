import type { HomeView, KnownBlock } from '@slack/types';
import { formatClock } from '../domain/index.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';
import type { Person } from '../domain/roster.ts';
import { stateLines, type AccountState } from './account-lines.ts';
import { ownerDm } from './ask-to-send.ts';
import { buttonsBlock, CMOC_BUTTONS } from './cmoc-buttons.ts';
import { failureDm, type FailureDmInput } from './step-failure.ts';

/**
 * A person's App Home: what waits for them now, with the same buttons as the DMs (so a press from Home is
 * the same press, handled by slack-interactions), each open incident, and what their accounts have been
 * told (the CMOC: every account of the incident). Pure: the service gathers the records.
 */

/** Slack's limit on a Home view's blocks; what does not fit is summarised. */
export const HOME_MAX_BLOCKS = 100;
/** A section's text may hold 3,000 characters; the account lines are split below that. */
const SECTION_CHARS = 2_900;

/** An owner's or backup's ask, as its DM was built (messages/ask-to-send.ts ownerDm). */
export type HomeOwnerAsk = Parameters<typeof ownerDm>[0];

/** The CMOC's draft review waiting for "Approve draft" (messages/cmoc-review.ts has the DM). */
export interface HomeReview {
  actionId: string;
  round: number;
  accounts: number;
  owners: number;
}

export interface HomeIncident {
  incident: IncidentRecord;
  /** The incident's CMOC sees every account; an owner or backup sees the accounts they answer for. */
  role: 'cmoc' | 'owner';
  asks: HomeOwnerAsk[];
  reviews: HomeReview[];
  failures: FailureDmInput[];
  /** Where each account stands (messages/account-lines.ts, from domain/told.ts). */
  accounts: AccountState[];
}

export interface HomeInput {
  person: Person;
  incidents: HomeIncident[];
  at: Date;
}

/** Block ids are unique within a view: the DM's fixed ids get the action id appended. */
function uniqueIds(blocks: readonly KnownBlock[], suffix: string): KnownBlock[] {
  return blocks.map((b) => (b.block_id === undefined ? b : { ...b, block_id: `${b.block_id}:${suffix}` }));
}

const mrkdwn = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const note = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** The waiting things of one incident, each a group of blocks that belongs together. */
function waiting(item: HomeIncident): KnownBlock[][] {
  const groups: KnownBlock[][] = [];
  for (const ask of item.asks) {
    // The DM's own blocks without its header: the incident's heading stands above them here.
    const blocks = ownerDm(ask).blocks.filter((b) => b.type !== 'header');
    groups.push(uniqueIds(blocks, ask.actionId));
  }
  for (const review of item.reviews) {
    groups.push(
      uniqueIds(
        [
          mrkdwn(
            `Round ${review.round} is drafted for ${review.accounts} accounts of ${review.owners} owners and waits for your review.`,
          ),
          buttonsBlock(review.actionId, [CMOC_BUTTONS.approve]),
        ],
        review.actionId,
      ),
    );
  }
  for (const failure of item.failures) groups.push(uniqueIds(failureDm(failure).blocks, failure.actionId));
  return groups;
}

function toldBlocks(item: HomeIncident): KnownBlock[] {
  if (item.accounts.length === 0) return [];
  const { counts, lines } = stateLines(item.accounts);
  const whose = item.role === 'cmoc' ? 'Every account of the incident' : 'Your accounts';
  const chunks: string[] = [];
  let current = `*${whose}:* ${counts}`;
  for (const line of lines) {
    if (current.length + line.length + 1 > SECTION_CHARS) {
      chunks.push(current);
      current = line;
    } else current = `${current}\n${line}`;
  }
  chunks.push(current);
  return chunks.map(mrkdwn);
}

export function homeView(input: HomeInput): HomeView {
  const { person, incidents, at } = input;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Incident comms' } },
    note(`Hi ${person.name.split(' ')[0]} · as of ${formatClock(at, 'UTC')}`),
  ];
  // Room kept for the closing summary line.
  const room = HOME_MAX_BLOCKS - 1;
  let left = 0;
  const add = (group: KnownBlock[]): boolean => {
    if (blocks.length + group.length > room) {
      left += 1;
      return false;
    }
    blocks.push(...group);
    return true;
  };
  const waitingCount = incidents.reduce((n, i) => n + waiting(i).length, 0);
  blocks.push(
    mrkdwn(
      waitingCount === 0
        ? 'Nothing waits for you right now.'
        : `*${waitingCount} thing${waitingCount === 1 ? '' : 's'} wait${waitingCount === 1 ? 's' : ''} for you.*`,
    ),
  );
  if (incidents.length === 0) blocks.push(note('No open incident concerns you.'));
  for (const item of incidents) {
    const { incident } = item;
    add([
      { type: 'divider' },
      {
        type: 'header',
        text: { type: 'plain_text', text: `${incident.severity} · ${incident.title}`.slice(0, 150) },
      },
      note(
        `${incident.incidentId} · ${incident.status} · you are ${item.role === 'cmoc' ? 'the CMOC' : 'asked for your accounts'}`,
      ),
    ]);
    for (const group of waiting(item)) add(group);
    for (const block of toldBlocks(item)) add([block]);
  }
  if (left > 0)
    blocks.push(note(`… and ${left} more item${left === 1 ? '' : 's'} not shown here; see \`/comms status\`.`));
  return { type: 'home', blocks };
}
