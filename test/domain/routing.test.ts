import { describe, expect, it } from 'vitest';
import { parseRoster, policyFor, type Severity } from '../../lambdas/domain/index.ts';
import { routeFor } from '../../lambdas/domain/routing.ts';
import { exampleRoster } from '../support/rosters.ts';

/** The routing table, from the severity policy and what the roster says each account has. */
const roster = parseRoster(exampleRoster());
const account = (id: string) => roster.accounts.find((a) => a.id === id)!;
const route = (id: string, sev: Severity) =>
  routeFor(account(id), policyFor(sev)).targets.map((t) => `${t.channel}:${t.recipient}`);

describe('routeFor', () => {
  it.each([
    // high-touch, Slack + 2 emails + SMS
    ['acme-rockets', 'SEV1', ['slack:C0ACME001', 'email:*', 'email:*', 'sms:+15555550101']],
    ['acme-rockets', 'SEV2', ['slack:C0ACME001']],
    ['acme-rockets', 'SEV3', ['slack:C0ACME001']],
    ['acme-rockets', 'SEV4', ['email:*', 'email:*']],
    // standard with Slack and email: never SMS
    ['bluebird-health', 'SEV1', ['slack:C0BLUEB01', 'email:*']],
    // no Slack channel: email, even where the policy says Slack only (flagged as a fallback)
    ['nimbus-crm', 'SEV1', ['email:*']],
    ['nimbus-crm', 'SEV2', ['email:*']],
    ['nimbus-crm', 'SEV3', ['email:*']],
    // Slack only, no email: SEV4 falls to Slack
    ['orchard-foods', 'SEV4', ['slack:C0ORCHD01']],
  ] as const)('%s at %s → %j', (id, sev, expected) => {
    const got = route(id, sev).map((t) => (t.startsWith('email:') ? 'email:*' : t));
    expect(got).toEqual(expected);
  });

  it('sends every email contact and every SMS number its own message', () => {
    const juniper = account('juniper-ai');
    expect(juniper.smsNumbers).toHaveLength(2);
    expect(route('juniper-ai', 'SEV1').filter((t) => t.startsWith('sms:'))).toEqual(
      juniper.smsNumbers.map((n) => `sms:${n}`),
    );
  });

  it('says when no policy channel reaches the account', () => {
    expect(routeFor(account('nimbus-crm'), policyFor('SEV3')).fallback).toBe(true);
    expect(routeFor(account('acme-rockets'), policyFor('SEV3')).fallback).toBe(false);
  });
});
