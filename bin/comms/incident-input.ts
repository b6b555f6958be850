import {
  PagerDutyEventError,
  incidentFactsFromPagerDuty,
  levelNames,
  parsePagerDutyEvent,
  type IncidentFacts,
  type PagerDutyEvent,
  type PolicyConfig,
  type Roster,
  type Severity,
} from '../../lambdas/domain/index.ts';
import { InputError, readJson, relative } from './cli-io.ts';

/** What `preview` shows when no incident file is given: every optional fact filled, so every line shows. */
export function sampleIncident(severity: Severity): IncidentFacts {
  return {
    id: 'SAMPLE-1',
    title: 'Event ingestion halted in the US region',
    severity,
    services: ['ingestion'],
    regions: ['us'],
    startedAt: '2026-11-05T15:10:00Z',
    resolvedAt: '2026-11-05T16:47:00Z',
    feature: 'event ingestion',
    symptom: 'new events arriving late in dashboards',
    impact:
      'events sent between 15:10 and 16:47 UTC reached dashboards up to 90 minutes late; none were lost',
    rootCause: 'a configuration change on our side stopped the ingestion workers from saving their progress',
    engineeringUpdate: 'Root cause identified (a configuration change on our side). Fix in progress.',
    writeUpUrl: 'https://status.example-analytics.example/incidents/2026-11-05-ingestion',
    maintenance: {
      system: 'the US query database',
      start: '2026-11-07T02:00:00Z',
      end: '2026-11-07T04:00:00Z',
    },
  };
}

export type IncidentInput =
  | { kind: 'facts'; facts: IncidentFacts }
  | { kind: 'pagerduty'; event: PagerDutyEvent; facts?: IncidentFacts };

/**
 * An incident file is either IncidentFacts JSON or a PagerDuty v3 webhook body ({ "event": … }).
 * A PagerDuty event that does not carry the incident itself (a note, a status update) has no facts.
 */
export function readIncident(file: string, roster: Roster, config?: PolicyConfig): IncidentInput {
  const input = readJson(file, 'incident file');
  if (input !== null && typeof input === 'object' && 'event' in input) {
    let event: PagerDutyEvent;
    try {
      event = parsePagerDutyEvent(input);
    } catch (error) {
      if (error instanceof PagerDutyEventError) throw new InputError(`${relative(file)}: ${error.message}`);
      throw error;
    }
    const incident = event.incident;
    return incident
      ? {
          kind: 'pagerduty',
          event,
          facts: incidentFactsFromPagerDuty({ ...event, incident }, roster, config),
        }
      : { kind: 'pagerduty', event };
  }
  return { kind: 'facts', facts: checkFacts(input, file, config ?? roster.policy) };
}

function checkFacts(input: unknown, file: string, config: PolicyConfig | undefined): IncidentFacts {
  const facts = input as Partial<IncidentFacts> | null;
  const missing = (['id', 'title', 'severity', 'startedAt'] as const).filter(
    (k) => typeof facts?.[k] !== 'string',
  );
  if (!facts || missing.length > 0 || !Array.isArray(facts.services)) {
    const needs = [...missing, ...(Array.isArray(facts?.services) ? [] : ['services'])];
    throw new InputError(
      `${relative(file)}: not a PagerDuty v3 event ({ "event": … }) nor incident facts; missing ${needs.join(', ')}`,
    );
  }
  const levels = levelNames(config);
  if (!levels.includes(facts.severity as string)) {
    throw new InputError(
      `${relative(file)}: severity "${facts.severity}" is not a level of the ladder (${levels.join(', ')})`,
    );
  }
  return facts as IncidentFacts;
}
