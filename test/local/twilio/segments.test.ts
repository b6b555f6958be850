import { describe, expect, it } from 'vitest';
import { countSegments, smsEncoding } from '../../../local/twilio/segments.ts';

describe('SMS segment counting', () => {
  it.each([
    ['plain ASCII, 160 chars', 'a'.repeat(160), 'GSM-7', 1],
    ['plain ASCII, 161 chars', 'a'.repeat(161), 'GSM-7', 2],
    ['153 × 2 fits two parts', 'a'.repeat(306), 'GSM-7', 2],
    ['one more needs a third', 'a'.repeat(307), 'GSM-7', 3],
    ['GSM accents stay GSM-7', 'é'.repeat(160), 'GSM-7', 1],
    ['80 euro signs are 160 septets', '€'.repeat(80), 'GSM-7', 1],
    ['81 euro signs spill over', '€'.repeat(81), 'GSM-7', 2],
    ['an escape char never splits', `${'a'.repeat(152)}€${'a'.repeat(8)}`, 'GSM-7', 2],
    ['one non-GSM char makes UCS-2, 70 fit', 'ł'.repeat(70), 'UCS-2', 1],
    ['71 UCS-2 chars need two', 'ł'.repeat(71), 'UCS-2', 2],
    ['67 × 2 fit two parts', 'ł'.repeat(134), 'UCS-2', 2],
    ['35 emoji are 70 code units', '😀'.repeat(35), 'UCS-2', 1],
    ['36 emoji need two', '😀'.repeat(36), 'UCS-2', 2],
  ])('%s', (_label, body, encoding, segments) => {
    expect(smsEncoding(body)).toBe(encoding);
    expect(countSegments(body)).toBe(segments);
  });

  it('counts the length of a real update', () => {
    const body =
      "Acme, checkout is failing for your customers since 14:05 UTC. We're on it; next update by 15:00. — Dana";
    expect(smsEncoding(body)).toBe('UCS-2');
    expect(countSegments(body)).toBe(2);
    expect(countSegments(body.replace('—', '-'))).toBe(1);
  });
});
