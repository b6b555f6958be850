import { affectedAccounts, servicesForPagerDuty } from '../lambdas/domain/index.ts';
import { executionNameFor } from '../lambdas/contract/execution-names.ts';
import { pagerDutyEvent, pendingOwnerDms, postPagerDuty, waitFor } from './driver.ts';
import { optionsFromEnv } from './options.ts';
import { startRuntime, type Runtime } from './runtime.ts';
import { executionArn } from './stepfunctions/index.ts';

/**
 * `npm run demo`: a SEV1 from PagerDuty to resolution on the example roster, with a timeline of who got
 * what and when. Owners "press" their buttons through the Slack stand-in, exactly as a person would.
 */
const started = Date.now();
const stamp = () => `+${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
const say = (line: string) => console.log(`${stamp()}  ${line}`);

function firstLine(textBody: string | undefined): string {
  const line = (textBody ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 110 ? `${line.slice(0, 107)}…` : line;
}

/** The first two lines of a DM: the CMOC's notices put the news on the second. */
function summary(textBody: string | undefined): string {
  const lines = (textBody ?? '').split('\n').filter((l) => l.trim() !== '');
  return firstLine(lines.slice(0, 2).join(' — '));
}

const shownInFull = new Set<string>();

function watch(runtime: Runtime): void {
  const people = new Map(runtime.roster.people.map((p) => [p.slackUserId, p.name]));
  const accounts = new Map(
    runtime.roster.accounts.flatMap((a) => (a.slackChannelId ? [[a.slackChannelId, a.name] as const] : [])),
  );
  runtime.slack?.on('message', (m) => {
    if (m.ephemeralTo)
      return say(`   ephemeral to ${people.get(m.ephemeralTo) ?? m.ephemeralTo}: ${firstLine(m.text)}`);
    const customer = accounts.get(m.channel);
    if (customer) {
      say(`📣 ${customer} ← ${m.username ?? 'bot'}: ${firstLine(m.text)}`);
      // Show one customer message in full, as the customer reads it.
      if (!shownInFull.has(m.text?.split('\n')[0] ?? '')) {
        shownInFull.add(m.text?.split('\n')[0] ?? '');
        console.log(`${(m.text ?? '').replace(/^/gm, '           │ ')}`);
      }
      return;
    }
    const dmUser = runtime.slack?.dmUser(m.channel);
    say(`💬 DM to ${dmUser ? (people.get(dmUser) ?? dmUser) : m.channel}: ${summary(m.text)}`);
  });
  runtime.stepFunctions.engine.on('event', (arn, event) => {
    const entered = event.stateEnteredEventDetails?.name;
    if (typeof entered !== 'string') return;
    const machine = arn.split(':')[6] ?? '';
    if (
      machine === 'incident' ||
      entered === 'Draft the update' ||
      entered === 'Summarise the round for the CMOC'
    ) {
      say(`⚙️  ${machine}: ${entered}`);
    }
  });
}

async function pressAll(runtime: Runtime, label: string): Promise<number> {
  const slack = runtime.slack;
  if (!slack) throw new Error('The demo needs the Slack stand-in: unset SLACK_BOT_TOKEN');
  let pressed = 0;
  for (const person of runtime.roster.people) {
    for (const dm of pendingOwnerDms(slack.messages({ user: person.slackUserId }))) {
      say(`👆 ${person.name} presses "${label}"`);
      const answer = await slack.press({
        channel: dm.channel,
        ts: dm.ts,
        actionId: 'owner:send',
        userId: person.slackUserId,
      });
      if (answer.status !== 200)
        throw new Error(`Slack interaction answered ${answer.status}: ${answer.body}`);
      pressed += 1;
    }
  }
  return pressed;
}

/**
 * The runtime divides every wait by its time scale, so the demo's incident keeps time at that rate too (its
 * own clock, IncidentRecord.clock): a half-hour cadence that passes in 30 s is half an hour on the incident's
 * clock, and the resolution's duration reads as long as the incident lasted on it, not the seconds the demo
 * took. Set once the webhook has recorded the incident; it starts from the wall clock's now, so nothing
 * recorded before it jumps.
 */
async function onTheRuntimesClock(incidentId: string, rate: number): Promise<void> {
  const { updateIncident } = await import('../lambdas/adapters/incidents.ts');
  const now = new Date().toISOString();
  await updateIncident(incidentId, { clock: { at: now, origin: now, rate } });
}

async function main(): Promise<void> {
  const options = optionsFromEnv(process.env, { port: 0, timeScale: 60 });
  const runtime = await startRuntime(options);
  try {
    const slack = runtime.slack;
    if (!slack) throw new Error('The demo needs the Slack stand-in: unset SLACK_BOT_TOKEN');
    watch(runtime);
    const incidentId = `QDEMO${Date.now().toString(36).toUpperCase()}`;
    // The example event is dated; the demo's incident starts now so durations read true.
    const trigger = await pagerDutyEvent('triggered', incidentId, { created_at: new Date().toISOString() });
    const serviceId = (trigger.event.data.service as { id?: string } | undefined)?.id;
    const affected = affectedAccounts(runtime.roster, {
      services: servicesForPagerDuty(runtime.roster, serviceId),
    });
    const owners = new Set(affected.map((a) => a.ownerId));
    say(
      `🚨 PagerDuty: incident.triggered ${incidentId} (P1) — ${affected.length} affected accounts, ${owners.size} owners`,
    );
    const delivery = await postPagerDuty(runtime, trigger);
    say(`   webhook answered ${delivery.status} ${delivery.body}`);
    await onTheRuntimesClock(incidentId, options.timeScale);

    const dmsReady = () => (pendingOwnerDms(slack.messages()).length >= owners.size ? true : undefined);
    await waitFor('every owner to get the initial draft', dmsReady);
    await pressAll(runtime, 'Send to my accounts');
    const posted = (n: number) => () =>
      affected.every((a) => !a.slackChannelId || slack.messages({ channel: a.slackChannelId }).length >= n)
        ? true
        : undefined;
    await waitFor('the initial update in every affected channel', posted(1));

    say('✅ PagerDuty: incident.resolved');
    await postPagerDuty(runtime, await pagerDutyEvent('resolved', incidentId));
    await waitFor('every owner to get the resolution draft', dmsReady);
    await pressAll(runtime, 'Send to my accounts');
    await waitFor('the resolution in every affected channel', posted(2));

    const arn = executionArn('incident', executionNameFor(incidentId));
    const done = await runtime.stepFunctions.engine.waitForStatus(
      arn,
      ['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT'],
      30_000,
    );
    const report = (await (await fetch(`${runtime.apiUrl}/api/incidents/${incidentId}`)).json()) as {
      notifications: { status: string }[];
    };
    const sent = report.notifications.filter((n) => n.status === 'sent').length;
    say(
      `🏁 execution ${done.status}; ${sent} customer notifications logged for ${affected.length} accounts over 2 rounds`,
    );
    if (done.status !== 'SUCCEEDED') throw new Error(`The incident execution ended ${done.status}`);
    // The comms retrospective the CMOC was sent, as the read API serves it (README, "Comms retrospective").
    const retro = await fetch(`${runtime.apiUrl}/api/incidents/${incidentId}/retrospective?format=md`);
    const headline = (await retro.text()).split('\n').filter((line) => line.startsWith('- '));
    say(`📋 comms retrospective:\n${headline.map((line) => `     ${line}`).join('\n')}`);
  } finally {
    await runtime.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('demo failed:', error);
    process.exit(1);
  },
);
