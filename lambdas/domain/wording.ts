/** Small pieces of plain English shared by the templates. */

/** "session-replay" → "session replay" */
export function displayService(service: string): string {
  return service.trim().replace(/[-_]+/g, ' ');
}

/** ["a", "b", "c"] → "a, b and c" (or "a, b or c") */
export function humanList(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Drops a trailing full stop so a value can sit mid-sentence or in parentheses. */
export function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

/** Ends a free-text value with punctuation, so the next sentence does not run on. */
export function sentenceOf(text: string): string {
  const trimmed = text.trim();
  return /[.!?)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** 30 → "every 30 minutes", 60 → "every hour", 120 → "every 2 hours"; short: "every 30 min" */
export function every(minutes: number, short = false): string {
  if (minutes === 60) return 'every hour';
  if (minutes % 60 === 0) return `every ${minutes / 60} ${short ? 'h' : 'hours'}`;
  return `every ${minutes} ${unit(minutes, short)}`;
}

/** 30 → "within 30 minutes", 60 → "within the hour", 120 → "within 2 hours" */
export function within(minutes: number, short = false): string {
  if (minutes === 60) return short ? 'within 1 h' : 'within the hour';
  if (minutes % 60 === 0) return `within ${minutes / 60} ${short ? 'h' : 'hours'}`;
  return `within ${minutes} ${unit(minutes, short)}`;
}

function unit(minutes: number, short: boolean): string {
  if (short) return 'min';
  return minutes === 1 ? 'minute' : 'minutes';
}

/** 97 min → "1 h 37 min", 45 → "45 min", 2 days → "2 d 0 h" */
export function durationText(ms: number): string {
  const total = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}
