/** Step Functions execution names: 1–80 chars of 0-9A-Za-z-_ (docs/architecture.md, "Facts that bite"). One incident, one name. */
export function executionNameFor(incidentId: string): string {
  return `incident-${incidentId.replace(/[^0-9A-Za-z_-]/g, '_')}`.slice(0, 80);
}
