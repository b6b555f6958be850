import type { Phase } from '../../contract/payloads.ts';
import type { MrkdwnSection } from '../slack-sections.ts';

/** A drafted update round. Texts are stored per owner, so 500 accounts never make one oversized item. */
export interface RoundRecord {
  incidentId: string;
  round: number;
  phase: Phase;
  roundKey: string;
  draftedAt: string;
  owners: string[];
  accountIds: string[];
  /**
   * The company broadcast that carried this round to the accounts with a Slack channel (a level's
   * `broadcastAtStart`); `accountIds` are then the rest, which the owners are asked for.
   */
  broadcastId?: string;
  /**
   * What this round's words promised: "next update within N minutes" (null: nothing), fixed when it was
   * drafted, so the retrospective judges the next update by what customers read, not by the severity the
   * incident has by the time it closes. Absent on rounds drafted before it was recorded.
   */
  promisedMinutes?: number | null;
}

export interface AccountDraft {
  accountId: string;
  slack: { text: string; blocks?: MrkdwnSection[] };
  email: { subject: string; text: string; html?: string };
  sms?: { text: string };
}

/** Who edited an owner's drafts (the Edit modal) and when. */
export interface OwnerEdit {
  by: string;
  at: string;
}
