import type { RosterInput } from '../../lambdas/domain/roster.ts';
import type { IncidentMaintenance, IncidentRecord } from '../../lambdas/domain/records/incident.ts';
import type { RoundRecord } from '../../lambdas/domain/records/round.ts';
import { executionNameFor } from '../../lambdas/contract/execution-names.ts';
import type { Severity } from '../../lambdas/contract/payloads.ts';
import { postPagerDuty, waitFor, WAIT_BOUND_MS } from '../../local/driver.ts';
import type { StoredMessage } from '../../local/slack/index.ts';
import { executionArn, stateMachineArn } from '../../local/stepfunctions/index.ts';
import { autoPress, press } from './slack.ts';
import type { World } from './world.ts';

/**
 * The workflow scenarios' world: a small roster with one owner, backup and CMOC per region (plus an owner
 * on PTO), each scenario on its own accounts (its own product service), and incidents on their own clock
 * so "now" is a chosen Wednesday whatever day the tests run. A scenario file starts its world with
 * `startWorld({ roster: scenarioRoster(), timeScale })` (world.ts); the people in it are in slack.ts.
 */
const hours = { start: '09:00', end: '17:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const };
const person = (id: string, slack: string, region: 'americas' | 'emea' | 'apac', timeZone: string) => ({
  id,
  name: `${id.charAt(0).toUpperCase()}${id.slice(1)} Tester`,
  slackUserId: slack,
  email: `${id}@example.test`,
  region,
  timeZone,
  pto: id === 'olga' ? [{ from: '2026-11-01', to: '2026-12-31', note: 'Sabbatical' }] : [],
});

/** Scenario → [account id, owner, time zone]; every account uses only its scenario's service. */
const ACCOUNTS: Record<string, [string, string, string?][]> = {
  sends: [['sends-co', 'amy']],
  silent: [['silent-co', 'amy']],
  pto: [['pto-co', 'olga']],
  fallback1: [['fallback1-co', 'olga']],
  fallback2: [['fallback2-co', 'olga']],
  clicks: [['clicks-co', 'amy']],
  away: [['away-co', 'aki']],
  cadence: [['cadence-co', 'amy']],
  engineering: [['engineering-co', 'amy']],
  interrupt: [['interrupt-co', 'amy']],
  minor: [['minor-co', 'amy']],
  writeup: [['writeup-co', 'amy']],
  overdue: [['overdue-co', 'amy']],
  failing: [['failing-co', 'amy']],
  stopping: [['stopping-co', 'amy']],
  stopround: [['stopround-co', 'amy']],
  leftout: [['leftout-co', 'amy']],
  legacy: [['legacy-co', 'amy']],
  maintenance: [
    ['mx-newyork', 'amy', 'America/New_York'],
    ['mx-tokyo', 'aki', 'Asia/Tokyo'],
  ],
};

export const serviceOf = (scenario: keyof typeof ACCOUNTS) => `svc-${scenario}`;
export const channelOf = (accountId: string) =>
  `C${accountId.replace(/[^a-z0-9]/gi, '').toUpperCase()}`.slice(0, 20);

export function scenarioRoster(): RosterInput {
  return {
    company: { name: 'Scenario Analytics' },
    regions: {
      americas: {
        timeZone: 'America/New_York',
        workingHours: { ...hours, days: [...hours.days] },
        backups: ['andre'],
        cmoc: ['carla'],
      },
      emea: {
        timeZone: 'Europe/London',
        workingHours: { ...hours, days: [...hours.days] },
        backups: ['erin'],
        cmoc: ['eve'],
      },
      apac: {
        timeZone: 'Asia/Tokyo',
        workingHours: { ...hours, days: [...hours.days] },
        backups: ['ben'],
        cmoc: ['pia'],
      },
    },
    people: [
      person('amy', 'U0AMY001', 'americas', 'America/New_York'),
      person('olga', 'U0OLGA01', 'americas', 'America/New_York'),
      person('andre', 'U0ANDRE1', 'americas', 'America/New_York'),
      person('carla', 'U0CARLA1', 'americas', 'America/New_York'),
      person('emil', 'U0EMIL01', 'emea', 'Europe/London'),
      person('erin', 'U0ERIN01', 'emea', 'Europe/London'),
      person('eve', 'U0EVE001', 'emea', 'Europe/London'),
      person('aki', 'U0AKI001', 'apac', 'Asia/Tokyo'),
      person('ben', 'U0BEN001', 'apac', 'Asia/Tokyo'),
      person('pia', 'U0PIA001', 'apac', 'Asia/Tokyo'),
    ],
    accounts: Object.entries(ACCOUNTS).flatMap(([scenario, list]) =>
      list.map(([id, ownerId, timeZone]) => ({
        id,
        name: `${id} Inc`,
        ownerId,
        services: [serviceOf(scenario)],
        slackChannelId: channelOf(id),
        emails: [`ops@${id}.example`],
        ...(timeZone ? { timeZone } : {}),
      })),
    ),
  };
}

/** Wednesday 18 November 2026, in UTC: which regions are at work follows from the hour. */
export const WEDNESDAY = {
  /** 10:00 New York, 15:00 London, 00:00 Tokyo: the Americas and EMEA at work. */
  americasMorning: '2026-11-18T15:00:00.000Z',
  /** 22:00 New York (Tue), 03:00 London, 12:00 Tokyo: only APAC at work. */
  apacNoon: '2026-11-18T03:00:00.000Z',
  /** 05:00 New York, 10:00 London, 19:00 Tokyo: only EMEA at work. */
  emeaMorning: '2026-11-18T10:00:00.000Z',
} as const;

export interface Declared {
  incidentId: string;
  title: string;
  executionArn: string;
}

/**
 * Declares an incident on its own clock (starting at `at`, running at the world's time scale) through the
 * same lifecycle call the front doors use, so the workflow sees the clock from its first step.
 */
export async function declare(
  world: World,
  spec: {
    incidentId: string;
    severity: Severity;
    scenario: keyof typeof ACCOUNTS;
    at: string;
    cmocId: string;
    maintenance?: IncidentMaintenance;
  },
): Promise<Declared> {
  const { declareIncident } = await import('../../lambdas/adapters/incident-lifecycle.ts');
  const title = `Scenario ${spec.incidentId}`;
  const record: IncidentRecord = {
    incidentId: spec.incidentId,
    title,
    severity: spec.severity,
    status: 'triggered',
    services: [serviceOf(spec.scenario)],
    regions: [],
    source: 'slack',
    startedAt: spec.at,
    cmocId: spec.cmocId,
    executionName: executionNameFor(spec.incidentId),
    rounds: 0,
    clock: { at: spec.at, origin: new Date().toISOString(), rate: world.timeScale },
    ...(spec.maintenance ? { maintenance: spec.maintenance } : {}),
  };
  await declareIncident(record);
  return { incidentId: spec.incidentId, title, executionArn: executionArn('incident', record.executionName) };
}

/** What the customer sees in their Slack Connect channel. */
export const postsTo = (world: World, accountId: string): StoredMessage[] =>
  world.slack.messages({ channel: channelOf(accountId) });

export async function roundsOf(incidentId: string): Promise<RoundRecord[]> {
  const { listRounds } = await import('../../lambdas/adapters/rounds.ts');
  return listRounds(incidentId);
}

export async function incidentRecord(incidentId: string): Promise<IncidentRecord> {
  const { getIncident } = await import('../../lambdas/adapters/incidents.ts');
  return getIncident(incidentId);
}

/** Waits until the incident has `count` rounds drafted; returns them. */
export function roundsDrafted(
  incidentId: string,
  count: number,
  timeoutMs = WAIT_BOUND_MS,
): Promise<RoundRecord[]> {
  return waitFor(
    `${count} round(s) of ${incidentId}`,
    async () => {
      const rounds = await roundsOf(incidentId);
      return rounds.length >= count ? rounds : undefined;
    },
    timeoutMs,
  );
}

/** The names of the states an execution entered, in order. */
export const statesEntered = (world: World, executionArn: string): string[] =>
  world.engine.visitedStates(executionArn).map((v) => v.name);

/** The update-round executions started for an incident, oldest first. */
export async function roundExecutions(world: World, incidentId: string): Promise<string[]> {
  const machine = stateMachineArn('update-round');
  const all = await world.engine.listExecutions({ stateMachineArn: machine });
  const mine: string[] = [];
  for (const item of all.reverse()) {
    const described = await world.engine.describeExecution({ executionArn: item.executionArn });
    if ((JSON.parse(described.input) as { incidentId?: string }).incidentId === incidentId)
      mine.push(item.executionArn);
  }
  return mine;
}

/** Minutes between two ISO times (incident clock), for assertions about when things happened. */
export const minutesBetween = (from: string, to: string): number =>
  (Date.parse(to) - Date.parse(from)) / 60_000;

/** A DM mentions one of `incidents` (their titles): for `autoPress`. */
export const aboutAny =
  (incidents: () => Declared[]) =>
  (m: StoredMessage): boolean =>
    incidents().some((i) => (m.text ?? '').includes(i.title));

/**
 * Declares a scenario incident and has its CMOC start customer comms, as a person would; remembers it in
 * `declared`, which the tests' auto-pressers (`pressAbout`) read.
 */
export async function declareAndStart(
  world: World,
  declared: Declared[],
  spec: Parameters<typeof declare>[1],
): Promise<Declared> {
  const incident = await declare(world, spec);
  declared.push(incident);
  await press(world, spec.cmocId, incident, 'cmoc:start');
  return incident;
}

/** People who answer at once: each of `buttons` pressed on every DM about the incidents in `declared`. */
export function pressAbout(world: World, buttons: readonly string[], declared: () => Declared[]): () => void {
  const stops = buttons.map((button) => autoPress(world, button, aboutAny(declared)));
  return () => {
    for (const stop of stops) stop();
  };
}

/** The input the execution carried into each visit of `state` (from its AWS-shaped history), oldest first. */
export async function inputsOf(
  world: World,
  executionArn: string,
  state: string,
): Promise<Record<string, unknown>[]> {
  return (await world.engine.history(executionArn))
    .filter((e) => e.stateEnteredEventDetails?.name === state)
    .map((e) => JSON.parse(String(e.stateEnteredEventDetails?.input)) as Record<string, unknown>);
}

/** A PagerDuty v3 delivery about an incident, signed and posted to the product's webhook. */
export async function pagerDuty(
  world: World,
  eventType: 'incident.priority_updated' | 'incident.status_update_published' | 'incident.resolved',
  incidentId: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  const attached = eventType === 'incident.status_update_published';
  const envelope = {
    event: {
      id: `EV${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
      event_type: eventType,
      resource_type: attached ? 'incident_status_update' : 'incident',
      occurred_at: new Date().toISOString(),
      data: attached
        ? { incident: { id: incidentId, type: 'incident_reference' }, ...data }
        : { id: incidentId, type: 'incident', ...data },
    },
  };
  const answer = await postPagerDuty(world.runtime, envelope);
  if (answer.status !== 202)
    throw new Error(`PagerDuty ${eventType} answered ${answer.status}: ${answer.body}`);
}
