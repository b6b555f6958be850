import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { smsSize } from '../../lambdas/domain/index.ts';

/**
 * Our counter against Twilio's own segment calculator, on texts built from the pieces that decide the
 * count: GSM-7 basic characters (one septet), extension characters (two septets, never split), BMP
 * characters outside GSM-7 (one UTF-16 unit, and the whole text turns UCS-2), and emoji, flags and skin
 * tones (surrogate pairs and multi-code-point characters, never split) — at lengths around every segment
 * boundary.
 */
const BASIC = [...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà'];
const EXTENSION = [...'^{}\\[~]|€\f'];
const UCS2_BMP = ['ł', 'ç', '—', '’', '“', '…', 'Ж', '中', '\u00A0'];
const ASTRAL = ['😀', '🔥', '🚀', '👍🏽', '🇬🇧', '🇫🇷', '𝒜'];

const piece = (weights: { basic: number; extension: number; bmp: number; astral: number }) =>
  fc.oneof(
    { weight: weights.basic, arbitrary: fc.constantFrom(...BASIC) },
    { weight: weights.extension, arbitrary: fc.constantFrom(...EXTENSION) },
    { weight: weights.bmp, arbitrary: fc.constantFrom(...UCS2_BMP) },
    { weight: weights.astral, arbitrary: fc.constantFrom(...ASTRAL) },
  );

/** A text of roughly `length` pieces: around 160/153·n for GSM-7, 70/67·n for UCS-2. */
const text = (
  lengths: number[],
  weights: { basic: number; extension: number; bmp: number; astral: number },
) =>
  fc
    .constantFrom(...lengths)
    .chain((around) =>
      fc.array(piece(weights), { minLength: Math.max(0, around - 6), maxLength: around + 6 }),
    )
    .map((pieces) => pieces.join(''));

/**
 * A two-unit piece (an extension character, a surrogate pair) placed just before, on or after where a part
 * ends: the case where counting units alone says one segment fewer than Twilio.
 */
const straddling = (encoding: 'GSM-7' | 'UCS-2') => {
  const [single, heavy, ends] =
    encoding === 'GSM-7'
      ? [BASIC.filter((c) => c !== '\r' && c !== '\n'), EXTENSION, [153, 306]]
      : [UCS2_BMP, [...EXTENSION, ...ASTRAL], [67, 134]];
  const mix =
    encoding === 'GSM-7'
      ? piece({ basic: 20, extension: 3, bmp: 0, astral: 0 })
      : piece({ basic: 10, extension: 2, bmp: 2, astral: 2 });
  const part = encoding === 'GSM-7' ? 153 : 67;
  return fc
    .record({
      at: fc.constantFrom(...ends).chain((end) => fc.integer({ min: end - 4, max: end + 1 })),
      fill: fc.constantFrom(...single),
      heavy: fc.constantFrom(...heavy),
      // Enough after it to reach the next part's end, give or take a few units.
      rest: fc.integer({ min: part - 6, max: part + 2 }),
      tail: fc.array(mix, { maxLength: 6 }),
    })
    .map(({ at, fill, heavy: h, rest, tail }) => fill.repeat(at) + h + fill.repeat(rest) + tail.join(''));
};

function twilio(body: string): { encoding: string; segments: number } {
  const message = new SegmentedMessage(body);
  return { encoding: message.encodingName, segments: message.segmentsCount };
}

describe('smsSize agrees with Twilio’s segment calculator', () => {
  it('GSM-7 texts with extension characters, around 160 and 153 × n septets', () => {
    fc.assert(
      fc.property(
        text([80, 155, 160, 290, 306, 450, 459], { basic: 20, extension: 3, bmp: 0, astral: 0 }),
        (body) => {
          expect(smsSize(body)).toEqual(twilio(body));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('UCS-2 texts with emoji, flags and surrogate pairs, around 70 and 67 × n code units', () => {
    fc.assert(
      fc.property(
        text([35, 67, 70, 134, 140, 201], { basic: 10, extension: 2, bmp: 2, astral: 2 }),
        (body) => {
          expect(smsSize(body)).toEqual(twilio(body));
        },
      ),
      { numRuns: 400 },
    );
  });

  it.each(['GSM-7', 'UCS-2'] as const)(
    '%s: a character that takes two units where a part ends',
    (encoding) => {
      fc.assert(
        fc.property(straddling(encoding), (body) => {
          expect(smsSize(body)).toEqual(twilio(body));
        }),
        { numRuns: 300 },
      );
    },
  );

  it('any mix of all four, short to long', () => {
    fc.assert(
      fc.property(
        fc.array(piece({ basic: 10, extension: 2, bmp: 1, astral: 1 }), { maxLength: 500 }),
        (pieces) => {
          const body = pieces.join('');
          expect(smsSize(body)).toEqual(twilio(body));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the 305-character GSM-7 text with one € where the first part ends', () => {
    const body = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(twilio(body)).toEqual({ encoding: 'GSM-7', segments: 3 });
    expect(smsSize(body)).toEqual({ encoding: 'GSM-7', segments: 3 });
  });
});
