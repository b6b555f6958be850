import { describe, expect, it } from 'vitest';
import { MAX_SMS_SEGMENTS, renderUpdate, smsSize, toGsmFriendly } from '../../lambdas/domain/index.ts';

describe('smsSize', () => {
  it.each([
    ['a'.repeat(160), 'GSM-7', 1],
    ['a'.repeat(161), 'GSM-7', 2],
    ['a'.repeat(306), 'GSM-7', 2],
    ['a'.repeat(307), 'GSM-7', 3],
    ['€'.repeat(80), 'GSM-7', 1], // extension characters take two places
    ['€'.repeat(81), 'GSM-7', 2],
    ['ł' + 'a'.repeat(69), 'UCS-2', 1], // one character outside GSM-7 makes it all UCS-2
    ['ł' + 'a'.repeat(70), 'UCS-2', 2],
    ['ł' + 'a'.repeat(133), 'UCS-2', 2],
    ['ł' + 'a'.repeat(134), 'UCS-2', 3],
    ['é'.repeat(160), 'GSM-7', 1], // GSM accents stay GSM-7
    ['ł'.repeat(70), 'UCS-2', 1],
    ['ł'.repeat(71), 'UCS-2', 2],
    ['ł'.repeat(134), 'UCS-2', 2],
    ['😀'.repeat(35), 'UCS-2', 1], // a surrogate pair is two code units
    ['😀'.repeat(36), 'UCS-2', 2],
    [`${'a'.repeat(152)}€${'a'.repeat(8)}`, 'GSM-7', 2], // an extension character never splits
  ] as const)('%#: %s', (text, encoding, segments) => {
    expect(smsSize(text)).toEqual({ encoding, segments });
  });

  it('305 GSM-7 characters with one € where the first part ends are 3 segments (306 septets, but € moves whole)', () => {
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(text).toHaveLength(305);
    expect(smsSize(text)).toEqual({ encoding: 'GSM-7', segments: 3 });
  });

  it('never splits a surrogate pair or a flag: the 67th code unit starts the next part', () => {
    expect(smsSize(`${'ł'.repeat(66)}😀${'ł'.repeat(66)}`).segments).toBe(3);
    expect(smsSize(`${'ł'.repeat(65)}🇬🇧${'ł'.repeat(65)}`).segments).toBe(3);
    expect(smsSize(`${'ł'.repeat(65)}😀${'ł'.repeat(67)}`).segments).toBe(2);
  });

  it('counts the length of a real update', () => {
    const body =
      "Acme, checkout is failing for your customers since 14:05 UTC. We're on it; next update by 15:00. — Dana";
    expect(smsSize(body)).toEqual({ encoding: 'UCS-2', segments: 2 });
    expect(smsSize(body.replace('—', '-'))).toEqual({ encoding: 'GSM-7', segments: 1 });
  });

  it('the typographic punctuation templates use becomes GSM-7', () => {
    const friendly = toGsmFriendly('We’re on it — “soon”… ok');
    expect(friendly).toBe('We\'re on it - "soon"... ok');
    expect(smsSize(friendly).encoding).toBe('GSM-7');
  });
});

describe('SMS rendering', () => {
  const base = {
    channel: 'sms' as const,
    account: { name: 'Juniper AI' },
    sender: { name: 'Mei' },
    company: 'Example Analytics',
  };
  const incident = {
    id: 'Q1',
    title: 'Ingestion halted',
    severity: 'SEV1' as const,
    services: ['ingestion'],
    startedAt: '2026-11-05T15:10:00Z',
  };

  it('prefers one segment, dropping optional detail before the news', () => {
    const m = renderUpdate({ ...base, phase: 'initial', incident: { ...incident, symptom: 'x'.repeat(60) } });
    expect(m.smsSegments).toBe(1);
    expect(m.text).toContain('major outage affecting ingestion');
    expect(m.text.endsWith(' - Mei')).toBe(true);
  });

  it('never goes past three segments: a very long update is cut, the signature kept', () => {
    const long = 'The ingestion workers are replaying the backlog from the durable queue. '.repeat(12);
    const m = renderUpdate({ ...base, phase: 'update', incident: { ...incident, engineeringUpdate: long } });
    expect(m.smsSegments).toBe(MAX_SMS_SEGMENTS);
    expect(m.text).toMatch(/\.\.\. - Mei$/);
    expect(smsSize(m.text).segments).toBe(MAX_SMS_SEGMENTS);
  });

  it('counts UCS-2 honestly when a name needs it, and still fits', () => {
    const m = renderUpdate({ ...base, sender: { name: 'Łucja' }, phase: 'initial', incident });
    expect(m.smsEncoding).toBe('UCS-2');
    expect(m.smsSegments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
    expect(m.smsSegments).toBe(smsSize(m.text).segments);
  });

  it('cuts whole characters only (no broken emoji)', () => {
    const m = renderUpdate({
      ...base,
      phase: 'update',
      incident: { ...incident, engineeringUpdate: '🔥'.repeat(300) },
    });
    expect(m.smsSegments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
    expect(m.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
