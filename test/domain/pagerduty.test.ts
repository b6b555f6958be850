import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PagerDutyEventError,
  incidentFactsFromPagerDuty,
  parsePagerDutyEvent,
  parseRoster,
} from '../../lambdas/domain/index.ts';

interface Body {
  event: { data: Record<string, unknown> };
}
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Body;
const roster = parseRoster(JSON.parse(readFileSync('config/roster.example.json', 'utf8')));

describe('PagerDuty v3 events', () => {
  it('the example triggered event becomes SEV1 facts for the ingestion accounts', () => {
    const event = parsePagerDutyEvent(json('config/examples/pagerduty-incident-triggered.json'));
    expect(event).toMatchObject({ eventType: 'incident.triggered', incidentId: 'Q2K8ZJ4XB1YQ7M' });
    expect(event.incident).toMatchObject({
      serviceId: 'PSVC001',
      priority: 'P1',
      urgency: 'high',
      status: 'triggered',
    });
    const facts = incidentFactsFromPagerDuty({ ...event, incident: event.incident! }, roster);
    expect(facts).toEqual({
      id: 'Q2K8ZJ4XB1YQ7M',
      title: 'Event ingestion halted in the US region',
      severity: 'SEV1',
      services: ['ingestion'],
      startedAt: '2026-11-05T15:10:00Z',
    });
  });

  it('the example resolved event carries when it was resolved', () => {
    const event = parsePagerDutyEvent(json('config/examples/pagerduty-incident-resolved.json'));
    const facts = incidentFactsFromPagerDuty({ ...event, incident: event.incident! }, roster);
    expect(facts.resolvedAt).toBe('2026-11-05T16:47:31.904Z');
  });

  it('an incident without priority or urgency is SEV3 by the documented rule', () => {
    const body = json('config/examples/pagerduty-incident-triggered.json');
    body.event.data.priority = null;
    delete body.event.data.urgency;
    const event = parsePagerDutyEvent(body);
    expect(incidentFactsFromPagerDuty({ ...event, incident: event.incident! }, roster).severity).toBe('SEV3');
  });

  it('a status update refers to its incident by reference and carries its message', () => {
    const event = parsePagerDutyEvent({
      event: {
        id: '01F',
        event_type: 'incident.status_update_published',
        resource_type: 'incident',
        occurred_at: '2026-11-05T15:40:00Z',
        data: {
          id: 'P2LA89X',
          type: 'incident_status_update',
          incident: { id: 'Q2K8ZJ4XB1YQ7M', type: 'incident_reference' },
          message: 'Root cause identified (Redis queue saturation). Fix in progress.',
        },
      },
    });
    expect(event).toEqual({
      eventId: '01F',
      eventType: 'incident.status_update_published',
      occurredAt: '2026-11-05T15:40:00Z',
      incidentId: 'Q2K8ZJ4XB1YQ7M',
      text: 'Root cause identified (Redis queue saturation). Fix in progress.',
    });
  });

  it('a malformed body is a PagerDutyEventError naming the field', () => {
    const body = json('config/examples/pagerduty-incident-triggered.json');
    delete body.event.data.service;
    expect(() => parsePagerDutyEvent(body)).toThrow(PagerDutyEventError);
    expect(() => parsePagerDutyEvent(body)).toThrow(/event\.data\.service is required/);
    expect(() => parsePagerDutyEvent({ messages: [] })).toThrow(/event is required/);
  });
});
