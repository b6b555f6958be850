/**
 * Wall-clock time in a time zone, through Intl (the runtime's tz database), so daylight-saving changes
 * follow the zone's real rules instead of a fixed offset.
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface LocalTime {
  /** YYYY-MM-DD in the zone. */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number;
}

// Building a DateTimeFormat costs far more than using one (a round drafts for hundreds of accounts), and the
// set of zones in a roster is small: one formatter per shape and zone, built on first use.
const formatters = new Map<string, Intl.DateTimeFormat>();
const SHAPES = {
  parts: {
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  },
  clock: { hourCycle: 'h23', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' },
  day: { weekday: 'short', day: 'numeric', month: 'short' },
  hm: { hourCycle: 'h23', hour: '2-digit', minute: '2-digit' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

function formatter(timeZone: string, shape: keyof typeof SHAPES = 'parts'): Intl.DateTimeFormat {
  const key = `${shape} ${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, ...SHAPES[shape] });
    formatters.set(key, format);
  }
  return format;
}

/** The zone's offset from UTC in minutes at an instant, read from the tz database. */
function offsetAt(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) parts[part.type] = part.value;
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

// Offsets change only at transitions, which fall on quarter hours of UTC in every current zone. Rota and
// availability checks ask about many minutes in a row (the whole week, in tests), so the offset is cached
// per quarter hour — and computed exactly when the two ends of a quarter disagree.
const QUARTER = 15 * 60_000;
const offsets = new Map<string, number | null>();

function cachedOffset(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / QUARTER);
  const key = `${timeZone}|${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const first = offsetAt(bucket * QUARTER, timeZone);
    offset = first === offsetAt((bucket + 1) * QUARTER - 60_000, timeZone) ? first : null;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset ?? offsetAt(ms, timeZone);
}

export function localTime(at: Date, timeZone: string): LocalTime {
  const wall = new Date(at.getTime() + cachedOffset(at.getTime(), timeZone) * 60_000);
  return {
    date: wall.toISOString().slice(0, 10),
    weekday: WEEKDAYS[wall.getUTCDay()] ?? 'sun',
    minuteOfDay: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  };
}

export function previousWeekday(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] ?? 'sun';
}

/** "14:02 UTC", "09:02 EST", "01:02 GMT+11" */
export function formatClock(at: Date, timeZone: string): string {
  return formatter(timeZone, 'clock').format(at);
}

/** "Thu 5 Nov" */
export function formatDay(at: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone, 'day').formatToParts(at)) parts[part.type] = part.value;
  return `${parts.weekday} ${parts.day} ${parts.month}`;
}

/** "Thu 5 Nov, 14:02 UTC" */
export function formatDayClock(at: Date, timeZone: string): string {
  return `${formatDay(at, timeZone)}, ${formatClock(at, timeZone)}`;
}

export function parseHhmm(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** "14:02" (no zone name) */
export function formatHm(at: Date, timeZone: string): string {
  return formatter(timeZone, 'hm').format(at);
}

/**
 * A span of time for a customer: "10:05–11:42 UTC" on one day, "Sat 7 Nov, 22:00 UTC – Sun 8 Nov, 02:00 UTC"
 * across days. `withDay` adds the day even when both ends share it.
 */
export function formatSpan(from: Date, to: Date, timeZone: string, withDay = false): string {
  const sameDay = localTime(from, timeZone).date === localTime(to, timeZone).date;
  if (!sameDay) return `${formatDayClock(from, timeZone)} – ${formatDayClock(to, timeZone)}`;
  const span = `${formatHm(from, timeZone)}–${formatClock(to, timeZone)}`;
  return withDay ? `${formatDay(from, timeZone)}, ${span}` : span;
}
