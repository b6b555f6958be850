import { affectedAccounts, channelsFor, ownersOf, type AffectedQuery } from './affected.ts';
import { backupFor, cmocAt, isAvailable, type Availability, type CmocChoice } from './follow-the-sun.ts';
import type { IncidentFacts } from './incident.ts';
import { policyFor, type PolicyConfig } from './policy.ts';
import type { Account, Person, Roster } from './roster.ts';
import type { Channel, Phase, SeverityPolicy } from './severity.ts';

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
  const accounts = affectedAccounts(roster, {
    services: incident.services,
    regions: incident.regions,
    ...override,
  });
  const people = new Map(roster.people.map((p) => [p.id, p]));
  const owners: OwnerPlan[] = [];
  for (const [ownerId, owned] of ownersOf(accounts)) {
    const owner = people.get(ownerId);
    if (!owner) continue; // parseRoster guarantees owners exist; a hand-built roster may not
    owners.push({
      owner,
      availability: isAvailable(owner, draftsAt, roster),
      accounts: owned.map((account) => ({ account, ...channelsFor(account, policy) })),
      steps: escalation(roster, owner, draftsAt, policy, cmoc),
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

function escalation(
  roster: Roster,
  owner: Person,
  start: Date,
  policy: SeverityPolicy,
  cmoc: CmocChoice,
): PlanStep[] {
  const steps: PlanStep[] = [];
  const availability = isAvailable(owner, start, roster);
  let next = start;
  if (availability.available) {
    steps.push({ at: start, person: owner, role: 'owner', why: 'account owner, in working hours' });
    next = new Date(start.getTime() + policy.ownerTimeoutMinutes * MINUTE);
  }
  const backup = backupFor(roster, owner, next, [cmoc.person.id]);
  if (backup) {
    const why = availability.available
      ? `regional backup (${backup.region}), if ${owner.name} has not acted within ${policy.ownerTimeoutMinutes} min`
      : `regional backup (${backup.region}) covering ${owner.name}, who is ${availability.reason === 'pto' ? 'on PTO' : 'off-hours'}`;
    steps.push({ at: next, person: backup, role: 'backup', why });
    next = new Date(next.getTime() + policy.backupTimeoutMinutes * MINUTE);
  }
  const previous = steps.at(-1);
  const fallback = policy.broadcastAllowed ? 'sends it or broadcasts' : 'sends it';
  steps.push({
    at: next,
    person: cmoc.person,
    role: 'cmoc',
    why: previous
      ? `CMOC ${fallback}, if ${previous.person.name} has not acted within ${
          previous.role === 'owner' ? policy.ownerTimeoutMinutes : policy.backupTimeoutMinutes
        } min`
      : `CMOC ${fallback}: no owner or backup is available`,
  });
  return steps;
}
