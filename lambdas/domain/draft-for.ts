import { policyFor, renderUpdate, type IncidentFacts, type PolicyConfig } from './index.ts';
import type { Account, Person, Roster } from './roster.ts';
import type { IncidentRecord } from './records/incident.ts';
import type { AccountDraft } from './records/round.ts';
import type { Phase } from '../contract/payloads.ts';
import { ifDefined } from './optional.ts';

/**
 * The incident as the templates see it: what we know, nothing about who is told. `policy`: the company's
 * overrides (the roster's), which set the "next update in …" promise.
 */
export function factsOf(incident: IncidentRecord, policy?: PolicyConfig): IncidentFacts {
  return {
    id: incident.incidentId,
    title: incident.title,
    severity: incident.severity,
    services: incident.services,
    regions: incident.regions,
    startedAt: incident.startedAt,
    ...ifDefined('resolvedAt', incident.resolvedAt),
    ...ifDefined('engineeringUpdate', incident.engineeringUpdate),
    ...ifDefined('rootCause', incident.rootCause),
    nextUpdateMinutes: policyFor(incident.severity, policy).cadenceMinutes,
    ...(incident.writeUpUrl ? { writeUpUrl: incident.writeUpUrl } : {}),
    ...((incident.reopenings ?? 0) > 0 ? { recurred: true } : {}),
    ...(incident.maintenance
      ? {
          maintenance: {
            system: incident.maintenance.system,
            start: incident.maintenance.start,
            end: incident.maintenance.end,
          },
        }
      : {}),
  };
}

/** One account's update in every channel, signed by `sender`. Throws if any template is left unfilled. */
export function draftFor(
  roster: Roster,
  incident: IncidentRecord,
  phase: Phase,
  account: Account,
  sender: Person,
): AccountDraft {
  const common = {
    phase,
    incident: factsOf(incident, roster.policy),
    account: { name: account.name, ...ifDefined('greeting', account.greeting) },
    sender: { name: sender.name },
    company: roster.company.name,
    ...ifDefined('timeZone', account.timeZone),
    ...ifDefined('policy', roster.policy),
  };
  const slack = renderUpdate({ ...common, channel: 'slack' });
  const email = renderUpdate({ ...common, channel: 'email' });
  const draft: AccountDraft = {
    accountId: account.id,
    slack: { text: slack.text, ...ifDefined('blocks', slack.blocks) },
    email: { subject: email.subject ?? incident.title, text: email.text, ...ifDefined('html', email.html) },
  };
  if (account.smsNumbers.length > 0) draft.sms = { text: renderUpdate({ ...common, channel: 'sms' }).text };
  return draft;
}
