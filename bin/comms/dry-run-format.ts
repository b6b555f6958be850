import {
  formatClock,
  formatDayClock,
  type Channel,
  type IncidentFacts,
  type IncidentPlan,
  type OwnerPlan,
  type PagerDutyEvent,
  type Person,
  type SeverityPolicy,
} from '../../lambdas/domain/index.ts';

export interface PlanView {
  plan: IncidentPlan;
  incident: IncidentFacts;
  event?: PagerDutyEvent;
  at: Date;
  atGiven: boolean;
  rosterFile: string;
  company: string;
  sampleAccount?: string;
  draft: string;
}

const utc = (d: Date) => formatClock(d, 'UTC');
const local = (p: Person, d: Date) => `${formatDayClock(d, p.timeZone)} (${p.timeZone})`;
const CHANNEL_NAMES: Record<Channel, string> = { slack: 'Slack', email: 'email', sms: 'SMS' };

export function formatPlan(view: PlanView): string {
  return [header(view), rules(view.plan.policy), cmoc(view), owners(view), timeline(view), drafts(view)]
    .filter(Boolean)
    .join('\n\n');
}

function header({ incident, event, at, atGiven, rosterFile, plan }: PlanView): string {
  const pd = event?.incident;
  const lines = [
    `${event ? `PagerDuty ${event.eventType}` : 'Incident'} · ${pd?.number ? `#${pd.number} ` : ''}${incident.id} · “${incident.title}”`,
  ];
  if (pd) {
    lines.push(
      `  service    ${pd.serviceId}${pd.serviceName ? ` (${pd.serviceName})` : ''} → ${incident.services.length ? incident.services.join(', ') : 'no product services (not in the roster’s pagerdutyServices)'}`,
      `  severity   priority ${pd.priority ?? 'none'}, urgency ${pd.urgency ?? 'none'} → ${incident.severity} ${plan.policy.label}: ${plan.policy.meaning}`,
    );
  } else {
    lines.push(
      `  services   ${incident.services.join(', ')}`,
      `  severity   ${incident.severity} ${plan.policy.label}: ${plan.policy.meaning}`,
    );
  }
  lines.push(
    `  phase      ${plan.phase}`,
    `  at         ${formatDayClock(at, 'UTC')}${atGiven ? ' (--at)' : ' (event time)'} · roster ${rosterFile}`,
  );
  return lines.join('\n');
}

function rules(policy: SeverityPolicy): string {
  const channels = policy.channels
    .map((c) => CHANNELS_LABEL(c))
    .join(policy.channelMode === 'all' ? ' + ' : ' or ');
  return [
    `Rules for ${policy.severity} ${policy.label}`,
    `  channels   ${channels} — ${policy.channelMode === 'all' ? 'every one the account has' : 'the first one the account has'}`,
    `  cadence    ${policy.cadenceMinutes === null ? 'at start and close only' : `an update every ${policy.cadenceMinutes} min (at most ${policy.maxCadenceMinutes})`}`,
    ...(policy.broadcastAtStart
      ? ['  opening    the first update goes out as one company broadcast to the Slack channels']
      : []),
    `  hand-offs  owner ${policy.ownerTimeoutMinutes} min → regional backup ${policy.backupTimeoutMinutes} min → CMOC${policy.broadcastAllowed ? ' (may broadcast)' : ''}`,
    `  CMOC       ${policy.cmocReview ? 'reviews drafts' : 'does not review drafts'}; ${policy.autoStart ? `comms start on their own after ${policy.autoStartAfterMinutes} min unless held` : 'comms start when the CMOC confirms'}`,
    ...(policy.postmortemHours === null
      ? []
      : [`  write-up   within ${policy.postmortemHours} h of resolution`]),
  ].join('\n');
}

const CHANNELS_LABEL = (c: Channel) => (c === 'sms' ? 'SMS (high-touch)' : CHANNEL_NAMES[c]);

function cmoc({ plan, at }: PlanView): string {
  const { person, region, inHours, onDuty } = plan.cmoc;
  const status = inHours
    ? 'in working hours'
    : 'OFF-HOURS: nobody on any CMOC rota is in working hours, page them';
  return `CMOC  ${person.name} (${region}${onDuty ? ', on duty this week' : ', covering for the on-duty CMOC'}) — ${local(person, at)}, ${status}`;
}

function owners({ plan }: PlanView): string {
  const accounts = plan.owners.reduce((n, o) => n + o.accounts.length, 0);
  const covered = plan.owners.filter((o) => !o.availability.available).length;
  const lines = [
    `${accounts} account${accounts === 1 ? '' : 's'} affected, ${plan.owners.length} owner${plan.owners.length === 1 ? '' : 's'}` +
      (covered ? ` (${covered} on PTO or off-hours: a backup is asked first)` : ''),
  ];
  if (plan.broadcast) {
    const ids = plan.broadcast.map((a) => a.id);
    lines.push(
      '',
      `Company broadcast at ${formatDayClock(plan.draftsAt, 'UTC')} to ${ids.length} Slack channel${ids.length === 1 ? '' : 's'}` +
        ` (${ids.join(', ') || 'none'}): ${plan.policy.severity} opens with one; owners are asked only for the rest`,
    );
  }
  for (const owner of plan.owners) lines.push('', ...ownerBlock(owner, plan.draftsAt));
  if (plan.unreachable.length > 0) {
    lines.push('', `⚠ unreachable (no channel): ${plan.unreachable.map((a) => a.id).join(', ')}`);
  }
  return lines.join('\n');
}

function ownerBlock(o: OwnerPlan, at: Date): string[] {
  const status = o.availability.available
    ? 'available'
    : o.availability.reason === 'pto'
      ? `on PTO${ptoUntil(o.owner, at)}`
      : 'off-hours (not asked first, even if active on Slack)';
  const width = Math.max(
    ...o.accounts.map((a) => a.account.name.length + (a.account.tier === 'high-touch' ? 13 : 0)),
  );
  return [
    `  ${o.owner.name} (${o.owner.id}, ${o.owner.region}) — ${local(o.owner, at)} — ${status}`,
    ...o.accounts.map(({ account, channels, fallback }) => {
      const name = `${account.name}${account.tier === 'high-touch' ? ' (high-touch)' : ''}`.padEnd(width);
      const via =
        channels.length === 0
          ? '⚠ no channel reaches them'
          : channels.map((c) => channelDetail(c, account)).join(' · ');
      return `    ${name}  ${via}${fallback ? '  (fallback: none of the severity’s channels)' : ''}`;
    }),
    ...o.steps.map((s) => `    ${utc(s.at).padEnd(9)}  ask ${s.person.name} (${s.role}) — ${s.why}`),
  ];
}

function channelDetail(channel: Channel, account: OwnerPlan['accounts'][number]['account']): string {
  if (channel === 'slack') return `Slack ${account.slackChannelId}`;
  if (channel === 'email') return `email ${account.emails.join(', ')}`;
  return `SMS ${account.smsNumbers.join(', ')}`;
}

function ptoUntil(person: Person, at: Date): string {
  const today = at.toISOString().slice(0, 10);
  const range =
    person.pto.find((r) => r.from <= today && today <= r.to) ?? person.pto.find((r) => r.to >= today);
  return range ? ` until ${range.to}` : '';
}

function timeline({ plan, at, incident }: PlanView): string {
  const p = plan.policy;
  const asked = plan.owners.map((o) => o.steps[0]?.role);
  const count = (role: string) => asked.filter((r) => r === role).length;
  const rows: [Date, string][] = [
    [at, `CMOC ${plan.cmoc.person.name} alerted${p.cmocReview ? ' to review the draft' : ''}`],
  ];
  if (plan.draftsAt.getTime() !== at.getTime())
    rows.push([plan.draftsAt, `hold window over: comms start without the CMOC`]);
  if (plan.owners.length > 0) {
    rows.push([
      plan.draftsAt,
      `drafts DM'd: ${count('owner')} owner(s), ${count('backup')} backup(s) covering, ${count('cmoc')} straight to the CMOC`,
    ]);
    rows.push([
      new Date(plan.draftsAt.getTime() + p.ownerTimeoutMinutes * 60_000),
      'owners who have not acted: their backup is asked',
    ]);
    rows.push([
      new Date(plan.draftsAt.getTime() + (p.ownerTimeoutMinutes + p.backupTimeoutMinutes) * 60_000),
      'still unsent: the CMOC sends' + (p.broadcastAllowed ? ' or broadcasts' : ''),
    ]);
  }
  if (plan.nextUpdateAt)
    rows.push([plan.nextUpdateAt, `next update due, then every ${p.cadenceMinutes} min until resolved`]);
  if (incident.resolvedAt) rows.push([new Date(incident.resolvedAt), 'resolved (from PagerDuty)']);
  if (plan.writeUpDueBy) rows.push([plan.writeUpDueBy, `write-up due (${p.postmortemHours} h)`]);
  rows.sort((a, b) => a[0].getTime() - b[0].getTime());
  return [
    'Timeline (UTC, if nobody acts early)',
    ...rows.map(([d, text]) => `  ${formatDayClock(d, 'UTC').padEnd(22)} ${text}`),
  ].join('\n');
}

function drafts({ draft, sampleAccount, plan }: PlanView): string {
  if (!draft) return '';
  return `The ${plan.phase} message as ${sampleAccount} would get it (every account gets its own greeting):\n\n${draft}`;
}
