import type { Person, Roster } from '../../../domain/roster.ts';
import { REGIONS } from '../../../domain/index.ts';

/** What every `/comms` subcommand gets: who typed it, where, and the roster. */
export interface CommandContext {
  roster: Roster;
  now: Date;
  /** The Slack user who typed the command. */
  slackUserId: string;
  /** That user in the roster; undefined for people the roster does not know. */
  person?: Person;
  /** The conversation it was typed in (validated Slack id), if any. */
  channelId?: string;
  /** Unique per invocation: it makes the event id of what the command signals. */
  triggerId?: string;
}

/** A subcommand: the text after its name in, the ephemeral reply out. */
export type Subcommand = (ctx: CommandContext, args: string) => Promise<string>;

/** The incident's CMOC, or anyone on a CMOC rota (who may be covering it). */
export function isCmoc(roster: Roster, personId: string, incident: { cmocId: string } | undefined): boolean {
  if (incident?.cmocId === personId) return true;
  return REGIONS.some((region) => roster.regions[region].cmoc.includes(personId));
}
