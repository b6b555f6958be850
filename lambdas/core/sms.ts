/**
 * SMS sizing. A GSM-7 message fits 160 characters in one segment (153 per segment when split); one
 * character outside GSM-7 turns the whole message into UCS-2: 70 per segment (67 when split).
 * Characters in the GSM-7 extension table (e.g. € [ ] { }) take two places.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM7_BASIC);
const extended = new Set(GSM7_EXTENDED);

export const MAX_SMS_SEGMENTS = 3;

export interface SmsSize {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
}

export function smsSize(text: string): SmsSize {
  let units = 0;
  for (const char of text) {
    if (basic.has(char)) units += 1;
    else if (extended.has(char)) units += 2;
    else {
      const length = text.length; // UTF-16 code units: what UCS-2 (in practice UTF-16) carries
      return { encoding: 'UCS-2', segments: length <= 70 ? 1 : Math.ceil(length / 67) };
    }
  }
  return { encoding: 'GSM-7', segments: units <= 160 ? 1 : Math.ceil(units / 153) };
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
  // Whole characters, so an emoji is never cut in half.
  const shortest = Array.from(toGsmFriendly(variants.at(-1) ?? ''));
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
