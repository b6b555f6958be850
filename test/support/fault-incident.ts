import { cmocAt, policyFor } from '../../lambdas/domain/index.ts';
import { isOutOfDate } from '../../lambdas/domain/out-of-date.ts';
import { routeFor } from '../../lambdas/domain/routing.ts';
import type { LogEntry } from '../../lambdas/domain/records/notification.ts';
import { executionNameFor } from '../../lambdas/contract/execution-names.ts';
import type { FaultTally } from '../../local/lambda-faults.ts';
import { pagerDutyEvent, postPagerDuty, waitFor } from '../../local/driver.ts';
import { sentEmails } from '../../local/ses.ts';
import type { StoredMessage } from '../../local/slack/index.ts';
import { executionArn, type ExecutionStatus, type StateVisit } from '../../local/stepfunctions/index.ts';
import { RECOVERY_BUTTONS } from '../../lambdas/messages/step-failure.ts';
import { cmocTold, type ExhaustedStep } from './exhausted-steps.ts';
import { hasButton, pressOn } from './slack.ts';
import type { World } from './world.ts';

/**
 * One SEV1 from PagerDuty to its resolution while the steps' Lambdas fail on purpose (world.faults), played
 * by people who answer at once, and what reached the customers afterwards: every recipient of every round
 * counted in the Slack, SES and Twilio stand-ins and matched against the notification log. The scenario
 * test and the bench row run the same incident, on a smaller and on the full company.
 */
export interface FaultyIncidentOptions {
  incidentId: string;
  /** Updates delivered in full before the incident is resolved (the first, then scheduled ones); ≥ 2. */
  updates: number;
  /** Where the incident's clock starts (who is at work follows from it). */
  at: string;
  /** The product services it affects (which accounts hear). */
  services: string[];
  /** Bounds each wait on the workflow. */
  timeoutMs: number;
  /**
   * Whether a DM to the CMOC tells them about `step` (a step that ran out of retries): it names the step
   * and the error.
   */
  tellsAbout?: (dm: StoredMessage, step: ExhaustedStep) => boolean;
  /** Buttons the CMOC presses on such a DM to carry on; Try again unless given. */
  carryOn?: readonly string[];
  /**
   * A function whose every invocation throws from the start until the CMOC is first asked about a step
   * that ran out of retries; then the world's faults are what they were, and the CMOC's Try again goes on
   * under them. Makes sure some steps do run out of retries.
   */
  exhaust?: string;
}

export interface FaultyIncidentReport {
  /** How the incident's own execution ended (RUNNING if it never did within the bound). */
  status: ExecutionStatus;
  /** Where it stopped, when it did not succeed. */
  stoppedAt?: string;
  rounds: number;
  /** (round, recipient) pairs the routing says must hear. */
  expected: number;
  /** (round, recipient) pairs of a scheduled update the resolution overtook before it reached them. */
  withheld: number;
  /** Messages a recipient got beyond the one per round. */
  duplicates: number;
  /** (round, recipient) pairs with no message, or with no sent line in the log that names it. */
  missed: number;
  problems: string[];
  injected: FaultTally;
  /** Attempts beyond the first, over every task of every execution. */
  retries: number;
  exhausted: ExhaustedStep[];
  /** Exhausted steps the CMOC got a DM about, and those it did not. */
  toldCmoc: number;
  untold: ExhaustedStep[];
  wallSeconds: number;
  /** Every execution the incident ran (its own first), with the states each visited. */
  executions: { executionArn: string; visits: StateVisit[] }[];
}

export async function runFaultyIncident(
  world: World,
  options: FaultyIncidentOptions,
): Promise<FaultyIncidentReport> {
  const { incidentId } = options;
  const arn = executionArn('incident', executionNameFor(incidentId));
  const title = `Faulty steps ${incidentId}`;
  const about = (m: StoredMessage) => `${m.text ?? ''}${JSON.stringify(m.blocks ?? [])}`.includes(title);
  const started = performance.now();
  // Declared on its own clock from the first step (who is at work follows from it), through the same
  // lifecycle call the front doors use.
  const { declareIncident } = await import('../../lambdas/adapters/incident-lifecycle.ts');
  await declareIncident({
    incidentId,
    title,
    severity: 'SEV1',
    status: 'triggered',
    services: options.services,
    regions: [],
    source: 'pagerduty',
    startedAt: options.at,
    cmocId: cmocAt(world.roster, new Date(options.at)).person.id,
    executionName: executionNameFor(incidentId),
    rounds: 0,
    clock: { at: options.at, origin: new Date().toISOString(), rate: world.timeScale },
  });
  const plan = world.faults.plan();
  if (options.exhaust) world.faults.set(new Map([...plan, [options.exhaust, { throw: 1, timeout: 0 }]]));
  const restore = () => {
    if (options.exhaust && world.faults.plan() !== plan) world.faults.set(plan);
  };
  const carryOn = options.carryOn ?? [RECOVERY_BUTTONS.retry];
  const stops = ['cmoc:start', 'cmoc:approve', 'owner:send', ...carryOn].map((id) =>
    pressEachVersion(world, id, about, options.timeoutMs * 3, carryOn.includes(id) ? restore : undefined),
  );
  let gaveUp = false;
  let status: ExecutionStatus;
  try {
    const closed = world.engine
      .waitForStatus(arn, ['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT'], options.timeoutMs * 2)
      .then(
        (d) => d.status,
        () => 'RUNNING' as const,
      );
    // Resolve only once the updates asked for reached everyone: none of them is overtaken.
    const delivered = waitFor(
      `${options.updates} updates delivered in full`,
      async () => gaveUp || (await fullyDelivered(world, incidentId)) >= options.updates || undefined,
      options.timeoutMs,
    ).then(
      () => !gaveUp,
      () => false,
    );
    const first = await Promise.race([closed.then(() => 'closed' as const), delivered]);
    if (first === true) {
      const resolved = await postPagerDuty(world.runtime, await pagerDutyEvent('resolved', incidentId));
      if (resolved.status !== 202) throw new Error(`resolving answered ${resolved.status}`);
    }
    status =
      first === false ? (await world.engine.describeExecution({ executionArn: arn })).status : await closed;
    // A step that ran out of retries near the end (the write-up follow-up's, say) is told to the CMOC
    // after retries and a DM: wait, within the bound, until every one known so far has been.
    await waitFor(
      'a DM to the CMOC about every exhausted step',
      async () => {
        const { exhausted, told } = await cmocTold(world, incidentId, arn, options.tellsAbout);
        return told.length >= exhausted.length ? true : undefined;
      },
      options.timeoutMs / 4,
    ).catch(() => undefined);
  } finally {
    gaveUp = true;
    for (const stop of stops) stop();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  return { ...(await tally(world, incidentId, arn, options)), status, wallSeconds };
}

/**
 * People who answer at once, like autoPress, except that a DM which comes back with its buttons (an ask
 * made again by a retried step updates its DM) is pressed again, as a person would.
 */
function pressEachVersion(
  world: World,
  actionId: string,
  wanted: (m: StoredMessage) => boolean,
  timeoutMs: number,
  beforePress?: () => void,
): () => void {
  const pressed = new Set<string>();
  let stopped = false;
  void waitFor(
    `the ${actionId} presser to be stopped`,
    () => {
      if (stopped) return true;
      for (const m of world.slack.messages()) {
        const version = `${m.channel}/${m.ts}/${m.edits}`;
        if (!m.channel.startsWith('D') || m.ephemeralTo || pressed.has(version)) continue;
        if (!hasButton(m, actionId) || !wanted(m)) continue;
        pressed.add(version);
        beforePress?.();
        void pressOn(world, m, actionId).catch(() => undefined);
      }
      return undefined;
    },
    timeoutMs,
  );
  return () => {
    stopped = true;
  };
}

/** How many of the incident's rounds have a final log line for every recipient their routing names. */
async function fullyDelivered(world: World, incidentId: string): Promise<number> {
  const { listRounds } = await import('../../lambdas/adapters/rounds.ts');
  const { logOf } = await import('../../lambdas/adapters/notification-log.ts');
  const policy = policyFor('SEV1', world.roster.policy);
  let done = 0;
  for (const round of await listRounds(incidentId)) {
    const log = await logOf(incidentId, round.round);
    const final = new Set(log.filter((e) => e.status === 'sent' || e.status === 'failed').map(keyOf));
    const complete = round.accountIds.every((id) =>
      routeFor(accountOf(world, id), policy).targets.every((t) =>
        final.has(`${id}/${t.channel}/${t.recipient}`),
      ),
    );
    if (complete) done++;
  }
  return done;
}

const keyOf = (e: Pick<LogEntry, 'accountId' | 'channel' | 'recipient'>) =>
  `${e.accountId}/${e.channel}/${e.recipient}`;

function accountOf(world: World, id: string) {
  const account = world.roster.accounts.find((a) => a.id === id);
  if (!account) throw new Error(`no account ${id}`);
  return account;
}

/** The update round a Slack post belongs to, from the metadata every customer post carries. */
function roundOfPost(m: StoredMessage, incidentId: string): number | undefined {
  const payload = (m.metadata as { event_payload?: { incident_id?: string; round?: number } } | undefined)
    ?.event_payload;
  return payload?.incident_id === incidentId ? payload.round : undefined;
}

async function tally(
  world: World,
  incidentId: string,
  arn: string,
  options: FaultyIncidentOptions,
): Promise<Omit<FaultyIncidentReport, 'status' | 'wallSeconds'>> {
  const { listRounds } = await import('../../lambdas/adapters/rounds.ts');
  const { logOf } = await import('../../lambdas/adapters/notification-log.ts');
  const policy = policyFor('SEV1', world.roster.policy);
  const rounds = await listRounds(incidentId);
  const mails = await sentEmails(world.sesUrl);
  const problems: string[] = [];
  let expected = 0;
  let duplicates = 0;
  let missed = 0;
  /** Per recipient (channel/recipient): the provider id the log recorded for each round that must reach it. */
  const owed = new Map<string, { round: number; providerId?: string }[]>();
  const { getIncident } = await import('../../lambdas/adapters/incidents.ts');
  const incident = await getIncident(incidentId);
  let withheld = 0;
  for (const round of rounds) {
    const log = new Map((await logOf(incidentId, round.round)).map((e) => [keyOf(e), e]));
    // A scheduled update the resolution overtook is never sent to whoever it had not reached yet
    // (domain/out-of-date.ts); the updates asked for were delivered in full before the resolution.
    const overtaken = round.round > options.updates && isOutOfDate(incident, round);
    for (const id of round.accountIds) {
      for (const target of routeFor(accountOf(world, id), policy).targets) {
        const key = `${target.channel}/${target.recipient}`;
        const entry = log.get(`${id}/${key}`);
        if (overtaken && entry?.status !== 'sent') {
          withheld++;
          continue;
        }
        expected++;
        if (entry?.status !== 'sent' || !entry.providerId)
          problems.push(
            `round ${round.round}: ${key} is ${entry ? entry.status : 'not'} in the log${entry?.error ? ` (${entry.error})` : ''}`,
          );
        const providerId = entry?.status === 'sent' ? entry.providerId : undefined;
        owed.set(key, [
          ...(owed.get(key) ?? []),
          { round: round.round, ...(providerId ? { providerId } : {}) },
        ]);
      }
    }
  }
  for (const [key, due] of owed) {
    const [channel, recipient = ''] = key.split('/') as [string, string];
    // What the recipient's provider holds. Slack posts name their round in their metadata; an email or an
    // SMS names none, but every message to one of this world's recipients is this incident's.
    const got = (round: number): string[] => {
      if (channel === 'slack')
        return world.slack
          .messages({ channel: recipient })
          .filter((m) => !m.deleted && roundOfPost(m, incidentId) === round)
          .map((m) => m.ts);
      if (channel === 'email')
        return mails.filter((m) => m.destination.to.includes(recipient)).map((m) => m.messageId);
      return world.twilio.messages({ to: recipient }).map((m) => m.sid);
    };
    const perRound = channel === 'slack';
    const all = perRound ? due.flatMap((d) => got(d.round)) : got(0);
    for (const d of due) {
      const ids = perRound ? got(d.round) : all;
      if (perRound && ids.length > 1) problems.push(`${key} got ${ids.length} posts of round ${d.round}`);
      // A round is missed unless its logged send is a message the recipient actually holds.
      if (!d.providerId || !ids.includes(d.providerId)) {
        missed++;
        if (d.providerId)
          problems.push(`round ${d.round}: ${key}: the log names ${d.providerId}, never received`);
      }
    }
    const extra = all.length - due.length;
    if (extra > 0) {
      duplicates += extra;
      problems.push(`${key} got ${all.length} messages for ${due.length} rounds`);
    }
  }

  const { executions, exhausted, told } = await cmocTold(world, incidentId, arn, options.tellsAbout);
  const described = await world.engine.describeExecution({ executionArn: arn });
  const last = executions[0]!.visits.at(-1);
  return {
    ...(described.status === 'SUCCEEDED'
      ? {}
      : { stoppedAt: `${last?.name ?? '?'} (${described.error ?? ''})` }),
    rounds: rounds.length,
    expected,
    withheld,
    duplicates,
    missed,
    problems,
    injected: world.faults.totals(),
    retries: executions.reduce((n, e) => n + e.visits.reduce((m, v) => m + v.retries, 0), 0),
    exhausted,
    toldCmoc: told.length,
    untold: exhausted.filter((step) => !told.includes(step)),
    executions,
  };
}
