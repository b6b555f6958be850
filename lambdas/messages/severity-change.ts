import { every } from '../domain/wording.ts';
import type { SeverityPolicy } from '../domain/index.ts';
import type { IncidentRecord } from '../domain/records/incident.ts';

/** 30 → "every 30 minutes"; null → "at the start and at the close only". */
function cadenceText(minutes: number | null): string {
  return minutes === null ? 'at the start and at the close only' : every(minutes);
}

/** What the owners and the CMOC hear when the severity changes: the new level and the cadence it sets. */
export function severityChanged(incident: IncidentRecord, policy: SeverityPolicy): string {
  return (
    `*${incident.severity} · ${incident.title}*\nSeverity is now ${incident.severity} (${policy.label}). ` +
    `Customers get updates ${cadenceText(policy.cadenceMinutes)}; your next draft follows that.`
  );
}
