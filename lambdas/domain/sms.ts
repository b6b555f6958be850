/**
 * SMS sizing, as Twilio counts it. A GSM-7 message fits 160 septets in one segment (153 per segment when
 * split); one character outside GSM-7 turns the whole message into UCS-2: 70 UTF-16 code units in one
 * segment (67 when split). Characters in the GSM-7 extension table (e.g. € [ ] { }) take two septets, and
 * nothing is split across segments: not an extension character, not a surrogate pair, not a user-perceived
 * character (a flag, an emoji with its skin tone). So where such a character falls can cost a segment:
 * 305 characters with one € just where the first part ends are three segments, not two.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM7_BASIC);
const extended = new Set(GSM7_EXTENDED);

const LIMITS = { 'GSM-7': { single: 160, part: 153 }, 'UCS-2': { single: 70, part: 67 } } as const;

export const MAX_SMS_SEGMENTS = 3;

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSize {
  encoding: SmsEncoding;
  segments: number;
}

// Made on first use: building a segmenter loads ICU data, a cost every Lambda importing the domain would
// otherwise pay at cold start, though only an SMS ever needs one.
let graphemeSegmenter: Intl.Segmenter | undefined;

/** User-perceived characters. CR LF stays two characters, which Twilio may put in different segments. */
export function graphemes(text: string): string[] {
  graphemeSegmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment).flatMap((g) =>
    g === '\r\n' ? ['\r', '\n'] : [g],
  );
}

export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) if (!basic.has(char) && !extended.has(char)) return 'UCS-2';
  return 'GSM-7';
}

export function smsSize(text: string): SmsSize {
  const encoding = smsEncoding(text);
  // What each indivisible piece costs: septets in GSM-7 (every grapheme there is one character), UTF-16
  // code units in UCS-2 (what UCS-2, in practice UTF-16, carries).
  const units =
    encoding === 'GSM-7'
      ? Array.from(text, (char) => (extended.has(char) ? 2 : 1))
      : graphemes(text).map((g) => g.length);
  const { single, part } = LIMITS[encoding];
  if (units.reduce((sum, u) => sum + u, 0) <= single) return { encoding, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > part) {
      segments += 1;
      used = 0;
    }
    used += u;
  }
  return { encoding, segments };
}

/** Typographic punctuation the templates use, replaced so a message stays GSM-7 (and 160 per segment). */
export function toGsmFriendly(text: string): string {
  return text
    .replace(/[‘’‛′]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/[–—−]/g, '-')
    .replace(/…/g, '...')
    .replace(/[\u00A0\u2009\u202F]/g, ' ')
    .replace(/•/g, '-');
}

/**
 * Chooses the SMS: the fewest segments first, then the richest wording. When even the shortest wording
 * needs more than three segments (a very long title or update), its body is cut with "..." to fit three,
 * keeping the signature.
 */
export function fitSms(variants: string[], signature: string): { text: string } & SmsSize {
  const candidates = variants.map((v) => toGsmFriendly(v + signature));
  const sized = candidates.map((text) => ({ text, ...smsSize(text) }));
  const fewest = Math.min(...sized.map((s) => s.segments));
  const best = sized.find((s) => s.segments === fewest);
  if (best && best.segments <= MAX_SMS_SEGMENTS) return best;
  // Whole characters, so an emoji (or a flag) is never cut in half.
  const shortest = graphemes(toGsmFriendly(variants.at(-1) ?? ''));
  const tail = toGsmFriendly(signature);
  const cut = (n: number) => `${shortest.slice(0, n).join('').trimEnd()}...${tail}`;
  let low = 0;
  let high = shortest.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (smsSize(cut(mid)).segments <= MAX_SMS_SEGMENTS) low = mid;
    else high = mid - 1;
  }
  const text = cut(low);
  return { text, ...smsSize(text) };
}
