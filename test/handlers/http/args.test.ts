import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  looksLikeIncidentId,
  parseDeclare,
  parseMaintenance,
  parseSeverity,
  parseTime,
  takePhrase,
  unescapeSlack,
} from '../../../lambdas/handlers/http/slack-commands/args.ts';
import { INCIDENT_EXECUTION_SECONDS } from '../../../lambdas/contract/workflow-limits.ts';

/** What people type after `/comms`, read without any server. */
const SERVICES = ['billing', 'ingestion', 'query', 'session-replay'];
const REGIONS = ['eu', 'us'];
const NOW = new Date('2026-11-27T12:00:00Z');

describe('declare <sev> <title> [services]', () => {
  it.each([
    ['SEV1 Login failures', { severity: 'SEV1', title: 'Login failures', services: [] }],
    ['sev2 "Dashboards slow" query', { severity: 'SEV2', title: 'Dashboards slow', services: ['query'] }],
    [
      '3 “Replays late” Session-Replay, query',
      { severity: 'SEV3', title: 'Replays late', services: ['session-replay', 'query'] },
    ],
    ['SEV4 "Scaling event"', { severity: 'SEV4', title: 'Scaling event', services: [] }],
    [
      'SEV2 Billing sync: "late" invoices',
      { severity: 'SEV2', title: 'Billing sync: "late" invoices', services: [] },
    ],
    [
      'sev-1 "Ingestion halted" ingestion ingestion',
      { severity: 'SEV1', title: 'Ingestion halted', services: ['ingestion'] },
    ],
  ])('%s', (text, expected) => {
    expect(parseDeclare(text, SERVICES)).toEqual(expected);
  });

  it.each([
    ['', /how severe/],
    ['SEV5 Broken', /not a severity/],
    ['critical Broken', /not a severity/],
    ['SEV1', /title/],
    ['SEV1 ""', /title/],
    ['SEV1 "Broken', /never closed/],
    ['SEV1 "Broken" telepathy', /"telepathy" is not a known service\. Known: billing, ingestion/],
    [`SEV1 ${'x'.repeat(151)}`, /under 150/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDeclare(text, SERVICES)).toThrow(ArgumentError);
    expect(() => parseDeclare(text, SERVICES)).toThrow(message);
  });
});

describe('maintenance <system> <start> <end> [regions]', () => {
  it('reads a quoted system, times with and without a zone, and regions', () => {
    expect(
      parseMaintenance('"EU database" 2026-12-01T02:00 2026-12-01T04:30+01:00 eu', REGIONS, NOW),
    ).toEqual({
      system: 'EU database',
      start: '2026-12-01T02:00:00.000Z',
      end: '2026-12-01T03:30:00.000Z',
      regions: ['eu'],
    });
    expect(parseMaintenance('kafka 2026-12-01T02:00Z 2026-12-01T03:00Z', REGIONS, NOW).regions).toEqual([]);
  });

  it.each([
    ['', /Name the system/],
    ['kafka', /start and the end/],
    ['kafka 2026-12-01T02:00Z', /start and the end/],
    ['kafka tomorrow 2026-12-01T03:00Z', /Start "tomorrow" is not a time/],
    ['kafka 2026-12-01T04:00Z 2026-12-01T03:00Z', /end after it starts/],
    ['kafka 2026-11-01T02:00Z 2026-11-01T03:00Z', /already over/],
    ['kafka 2026-12-01T00:00Z 2026-12-20T00:00Z', /at most 7 days/],
    ['kafka 2026-12-01T02:00Z 2026-12-01T03:00Z mars', /"mars" is not a known region/],
    [
      'kafka 2026-12-10T11:00Z 2026-12-10T12:01Z',
      'A maintenance window must end within 13 days (by 2026-12-10 12:00 UTC): the workflow that announces ' +
        'and closes it runs at most 14 days (1,209,600 s). Declare it again nearer the time.',
    ],
  ])('refuses %j', (text, message) => {
    expect(() => parseMaintenance(text, REGIONS, NOW)).toThrow(message);
  });

  it('takes a window ending as late as its workflow can still close it: a day before the execution ends', () => {
    expect(parseMaintenance('kafka 2026-12-10T11:00Z 2026-12-10T12:00Z', REGIONS, NOW).end).toBe(
      '2026-12-10T12:00:00.000Z',
    );
    const asl = JSON.parse(readFileSync('statemachines/incident.asl.json', 'utf8')) as {
      TimeoutSeconds: number;
    };
    expect(asl.TimeoutSeconds).toBe(INCIDENT_EXECUTION_SECONDS);
  });
});

describe('small readers', () => {
  it.each([
    ['SEV1', 'SEV1'],
    ['sev 2', undefined],
    ['4', 'SEV4'],
    ['Sev-3', 'SEV3'],
    ['P1', undefined],
  ])('severity %j → %s', (word, severity) => {
    if (severity) expect(parseSeverity(word)).toBe(severity);
    else expect(() => parseSeverity(word)).toThrow(ArgumentError);
  });

  it('times: UTC when no zone is given, offsets with or without a colon', () => {
    expect(parseTime('2026-12-01T02:00', 'Start')).toBe('2026-12-01T02:00:00.000Z');
    expect(parseTime('2026-12-01T02:00:30-0500', 'Start')).toBe('2026-12-01T07:00:30.000Z');
    expect(() => parseTime('2026-13-01T02:00Z', 'Start')).toThrow(/not a time/);
  });

  it('phrases: straight or curly quotes, else the first word', () => {
    expect(takePhrase('“a b” c')).toEqual({ phrase: 'a b', rest: 'c', quoted: true });
    expect(takePhrase('a b c')).toEqual({ phrase: 'a', rest: 'b c', quoted: false });
  });

  it('incident ids: PagerDuty’s and ours, not ordinary words', () => {
    for (const id of ['Q2K8ZJ4XB1YQ7M', 'PGR0VU2', 'S20261127-01', 'M20261127-12'])
      expect(looksLikeIncidentId(id)).toBe(true);
    for (const word of ['Root', 'fix', 'DB', 'db2', 'Q2', 'ROOT'])
      expect(looksLikeIncidentId(word)).toBe(false);
  });

  it('Slack’s escaping is undone', () => {
    expect(unescapeSlack('A &amp; B &lt;3 &gt; &amp;lt;')).toBe('A & B <3 > &lt;');
  });
});
