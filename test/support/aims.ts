import { expect } from 'vitest';
import type { Due } from '../../lambdas/contract/payloads.ts';
import { incidentNow, type IncidentRecord } from '../../lambdas/domain/records/incident.ts';
import { incidentRecord, roundExecutions } from './scenarios.ts';
import type { World } from './world.ts';

/**
 * When the workflow meant something to happen, rather than when it did. A scheduler step reads "now" on
 * the incident's clock somewhere between its task starting and answering (both stamped in the history)
 * and answers a whole number of seconds to wait, rounded up; so the instant it aimed at lies in
 * (earliest, latest]. On a busy machine everything runs late, and on a scaled clock a second late is
 * minutes or hours of incident time: asserting on the aim holds however slow the machine is, where a
 * bound on when the thing happened would be a wall-clock window.
 */
export interface Aim {
  state: string;
  due: Due;
  waitSeconds: number;
  /** Incident-clock milliseconds: the aimed instant is after this … */
  earliest: number;
  /** … and at or before this. */
  latest: number;
}

/** The state machines' scheduler states (the schedule function's callers). */
export const SCHEDULERS = [
  'Load the incident',
  'Work out what the event changes',
  'Work out what is due',
  'Work out when the next update is due',
  'Work out when the write-up is due',
] as const;

/** Every aim of the scheduler states in one execution, oldest first. */
export async function aimsIn(
  world: World,
  executionArn: string,
  incident: Pick<IncidentRecord, 'clock'>,
): Promise<Aim[]> {
  const aims: Aim[] = [];
  let visiting: string | undefined;
  let started: Date | undefined;
  for (const event of await world.engine.history(executionArn)) {
    const entered = event.stateEnteredEventDetails?.name;
    if (typeof entered === 'string') {
      visiting = (SCHEDULERS as readonly string[]).includes(entered) ? entered : undefined;
      started = undefined;
    }
    if (!visiting) continue;
    if (event.type === 'TaskStarted') started = event.timestamp;
    if (event.type === 'TaskSucceeded' && started) {
      const output = JSON.parse(String(event.taskSucceededEventDetails?.output)) as {
        Payload?: { due: Due; waitSeconds: number };
      };
      const next = output.Payload!;
      aims.push({
        state: visiting,
        due: next.due,
        waitSeconds: next.waitSeconds,
        earliest: incidentNow(incident, started.getTime()).getTime() + (next.waitSeconds - 1) * 1000,
        latest: incidentNow(incident, event.timestamp.getTime()).getTime() + next.waitSeconds * 1000,
      });
      visiting = undefined;
    }
  }
  return aims;
}

/** Every aim for an incident: its own execution's and each of its update rounds'. */
export async function incidentAims(
  world: World,
  incident: { incidentId: string; executionArn: string },
): Promise<Aim[]> {
  const record = await incidentRecord(incident.incidentId);
  const executions = [incident.executionArn, ...(await roundExecutions(world, incident.incidentId))];
  return (await Promise.all(executions.map((arn) => aimsIn(world, arn, record)))).flat();
}

/** Whether `aim` was at `instant`; a one-second wait is also what anything already overdue gets. */
export const aimsAt = (aim: Aim, instant: string | number): boolean => {
  const at = typeof instant === 'string' ? Date.parse(instant) : instant;
  return (aim.waitSeconds === 1 || aim.earliest < at) && at <= aim.latest;
};

/** Fails unless some aim for `due` was at `instant`, listing the aims there were. */
export function expectAimed(aims: readonly Aim[], due: Due, instant: string | number): void {
  const shown = aims.map(
    (a) =>
      `${a.state}: ${a.due} in (${new Date(a.earliest).toISOString()}, ${new Date(a.latest).toISOString()}]`,
  );
  const at = new Date(instant).toISOString();
  expect(
    aims.some((a) => a.due === due && aimsAt(a, instant)),
    `${due} aimed at ${at}; the aims were:\n${shown.join('\n')}`,
  ).toBe(true);
}
