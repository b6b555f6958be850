import { INCIDENT_EXECUTION_SECONDS } from '../contract/workflow-limits.ts';
import { localTime } from './index.ts';

/**
 * When a customer hears about planned maintenance: a day ahead, at a civil hour of their own day — the
 * last 10:00 in their time zone that is at least 24 hours before the window starts. Customers in Tokyo
 * and New York get the same heads-up at their own morning, not at one UTC instant.
 */
export const HEADS_UP_LEAD_HOURS = 24;
export const HEADS_UP_LOCAL_MINUTE = 10 * 60;

const MINUTE = 60_000;

export function headsUpAt(windowStart: Date, timeZone: string): number {
  const latest = windowStart.getTime() - HEADS_UP_LEAD_HOURS * 60 * MINUTE;
  const local = localTime(new Date(latest), timeZone);
  const back = (local.minuteOfDay - HEADS_UP_LOCAL_MINUTE + 1440) % 1440;
  // Whole minutes back to 10:00 local; a daylight-saving change that day shifts it by that hour, which
  // still leaves the heads-up in the customer's morning.
  return Math.floor(latest / MINUTE) * MINUTE - back * MINUTE;
}

/**
 * The latest a maintenance window declared `now` may end. Its execution starts at once and must outlive
 * the window and send the completion: a day is kept for that round out of the execution's 14 days
 * (docs/architecture.md, "Step Functions").
 */
export const COMPLETION_ALLOWANCE_MS = 24 * 60 * MINUTE;

export function latestMaintenanceEnd(now: Date): Date {
  return new Date(now.getTime() + INCIDENT_EXECUTION_SECONDS * 1000 - COMPLETION_ALLOWANCE_MS);
}
