/**
 * How many SMS segments a body costs, as Twilio counts them: GSM-7 when every character is in the GSM 03.38
 * alphabet (160 septets alone, 153 per part once concatenated; the extension characters take two), otherwise
 * UCS-2 (70 code units alone, 67 per part). A character is never split across parts.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export function smsEncoding(body: string): SmsEncoding {
  for (const char of body) if (!BASIC.has(char) && !EXTENSION.has(char)) return 'UCS-2';
  return 'GSM-7';
}

export function countSegments(body: string): number {
  const encoding = smsEncoding(body);
  const units = [...body].map((char) =>
    encoding === 'GSM-7' ? (EXTENSION.has(char) ? 2 : 1) : (char.codePointAt(0) ?? 0) > 0xffff ? 2 : 1,
  );
  const [single, part] = encoding === 'GSM-7' ? [160, 153] : [70, 67];
  const total = units.reduce((sum, u) => sum + u, 0);
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > part) {
      segments += 1;
      used = 0;
    }
    used += u;
  }
  return segments;
}
