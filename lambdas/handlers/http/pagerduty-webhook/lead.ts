import type { Roster } from '../../../domain/roster.ts';

/**
 * The engineering incident lead, from PagerDuty's assignees (`data.assignees[]`, user references, on
 * incident.triggered / acknowledged / reassigned). Read by hand rather than through the envelope schema: an
 * odd assignee list must never turn an event we act on into a 4xx, it just names nobody.
 */
export function assigneeIds(data: Record<string, unknown>): string[] {
  const list = data.assignees;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    return typeof id === 'string' && id !== '' ? [id] : [];
  });
}

/** The roster person id of the first assignee the roster knows; undefined when it knows none of them. */
export function leadFromAssignees(roster: Roster, data: Record<string, unknown>): string | undefined {
  for (const pagerdutyUserId of assigneeIds(data)) {
    const person = roster.people.find((p) => p.pagerdutyUserId === pagerdutyUserId);
    if (person) return person.id;
  }
  return undefined;
}
