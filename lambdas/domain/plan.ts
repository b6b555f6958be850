import { affectedAccounts, channelsFor, ownersOf, type AffectedQuery } from './affected.ts';
import { cmocAt, type Availability, type CmocChoice } from './follow-the-sun.ts';
import type { IncidentFacts } from './incident.ts';
import { policyFor } from './ladder.ts';
import type { PolicyConfig } from './policy.ts';
import type { Account, Person, Roster } from './roster.ts';
import type { Channel, SeverityPolicy } from './severity.ts';
import type { Phase } from '../contract/payloads.ts';
import { whoIsAsked, type AskStep } from './who-is-asked.ts';
import { broadcastReaches, opensWithBroadcast } from './audience.ts';
import { ifDefined } from './optional.ts';

/**
 * Who would be told what, when, through which channel, and who covers whom: the handbook's workflow
 * ("ask owner ▸ timeout ▸ regional backup ▸ timeout ▸ CMOC") worked out for one moment, without sending
 * anything. The CLI's dry-run prints it; it is also a readable statement of the rules for tests.
 */
export interface PlanInput {
  roster: Roster;
  incident: IncidentFacts;
  phase: Phase;
  /** When the event arrives. */
  at: Date;
  /** Policy overrides; default: the roster's own `policy`. */
  config?: PolicyConfig;
  override?: Pick<AffectedQuery, 'accountIds' | 'excludeAccountIds'>;
}

export interface PlanStep {
  at: Date;
  person: Person;
  role: 'owner' | 'backup' | 'cmoc';
  reason: AskStep['reason'];
  /** Why this person, at this time. */
  why: string;
}

export interface OwnerPlan {
  owner: Person;
  availability: Availability;
  accounts: { account: Account; channels: Channel[]; fallback: boolean }[];
  /** Who is asked to send, in order, each if the one before has not acted in time. */
  steps: PlanStep[];
}

export interface IncidentPlan {
  phase: Phase;
  policy: SeverityPolicy;
  cmoc: CmocChoice;
  /** When owners get their drafts (initial SEV1: after the CMOC's hold window). */
  draftsAt: Date;
  owners: OwnerPlan[];
  /**
   * The accounts a level's broadcast at start tells (SEV0's first update, as the company): they are in
   * no owner's list. Absent when the round does not open with a broadcast.
   */
  broadcast?: Account[];
  /** Accounts that no channel reaches: nobody can tell them. */
  unreachable: Account[];
  nextUpdateAt?: Date;
  writeUpDueBy?: Date;
}

const MINUTE = 60_000;
const CLOSING: ReadonlySet<Phase> = new Set(['resolution', 'postmortem', 'maintenance-complete']);

export function planIncident({ roster, incident, phase, at, config, override }: PlanInput): IncidentPlan {
  const policy = policyFor(incident.severity, config ?? roster.policy);
  const cmoc = cmocAt(roster, at);
  const holds = phase === 'initial' && policy.autoStart;
  const draftsAt = new Date(at.getTime() + (holds ? policy.autoStartAfterMinutes * MINUTE : 0));
  const affected = affectedAccounts(roster, {
    services: incident.services,
    ...ifDefined('regions', incident.regions),
    ...override,
  });
  const broadcast = opensWithBroadcast(policy, phase) ? affected.filter(broadcastReaches) : undefined;
  const accounts = broadcast ? affected.filter((a) => !broadcastReaches(a)) : affected;
  const people = new Map(roster.people.map((p) => [p.id, p]));
  const owners: OwnerPlan[] = [];
  for (const [ownerId, owned] of ownersOf(accounts)) {
    const owner = people.get(ownerId);
    if (!owner) continue; // parseRoster guarantees owners exist; a hand-built roster may not
    // No presence: the dry-run cannot see Slack, and presence never decides whether the owner is asked.
    const asked = whoIsAsked({
      roster,
      owner,
      at: draftsAt,
      cmoc: cmoc.person,
      timeouts: { ownerMinutes: policy.ownerTimeoutMinutes, backupMinutes: policy.backupTimeoutMinutes },
    });
    owners.push({
      owner,
      availability: asked.owner,
      accounts: owned.map((account) => ({ account, ...channelsFor(account, policy) })),
      steps: asked.steps.map((step, i) => ({
        ...step,
        why: whyText(step, asked.steps[i - 1], owner, policy),
      })),
    });
  }
  const cadence = policy.cadenceMinutes;
  const writeUpFrom = incident.resolvedAt ? new Date(incident.resolvedAt) : at;
  return {
    phase,
    policy,
    cmoc,
    draftsAt,
    owners,
    ...(broadcast ? { broadcast } : {}),
    unreachable: owners.flatMap((o) =>
      o.accounts.filter((a) => a.channels.length === 0).map((a) => a.account),
    ),
    ...(cadence !== null && !CLOSING.has(phase) && phase !== 'maintenance-heads-up'
      ? { nextUpdateAt: new Date(draftsAt.getTime() + cadence * MINUTE) }
      : {}),
    ...(phase === 'resolution' && policy.postmortemHours !== null
      ? { writeUpDueBy: new Date(writeUpFrom.getTime() + policy.postmortemHours * 60 * MINUTE) }
      : {}),
  };
}

function whyText(
  { reason }: AskStep,
  previous: AskStep | undefined,
  owner: Person,
  policy: SeverityPolicy,
): string {
  const fallback = policy.broadcastAllowed ? 'sends it or broadcasts' : 'sends it';
  switch (reason.why) {
    case 'in-hours':
      return 'account owner, in working hours';
    case 'owner-on-pto':
      return `regional backup (${reason.region}) covering ${owner.name}, who is on PTO`;
    case 'owner-off-hours':
      return `regional backup (${reason.region}) covering ${owner.name}, who is off-hours`;
    case 'owner-did-not-send':
      return reason.role === 'backup'
        ? `regional backup (${reason.region}), if ${owner.name} has not acted within ${policy.ownerTimeoutMinutes} min`
        : `CMOC ${fallback}, if ${owner.name} has not acted within ${policy.ownerTimeoutMinutes} min`;
    case 'backup-did-not-send':
      return `CMOC ${fallback}, if ${previous?.person.name ?? 'the backup'} has not acted within ${policy.backupTimeoutMinutes} min`;
    case 'nobody-available':
      return `CMOC ${fallback}: no owner or backup is available`;
  }
}
