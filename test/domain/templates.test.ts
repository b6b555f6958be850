import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  PHASES,
  DEFAULT_SEVERITIES as SEVERITIES,
  TemplateError,
  checkTone,
  renderUpdate,
  smsSize,
  unfilledPlaceholders,
  type Channel,
  type IncidentFacts,
  type Phase,
  type RenderInput,
  type Severity,
  type TemplateId,
} from '../../lambdas/domain/index.ts';

const FULL: IncidentFacts = {
  id: 'Q2K8ZJ4XB1YQ7M',
  title: 'Event ingestion halted in the US region',
  severity: 'SEV1',
  services: ['ingestion'],
  startedAt: '2026-11-05T15:10:00Z',
  resolvedAt: '2026-11-05T16:47:00Z',
  feature: 'event ingestion',
  symptom: 'new events arriving late in dashboards',
  impact: 'events sent between 15:10 and 16:47 UTC reached dashboards late; none were lost',
  rootCause: 'a configuration change on our side',
  engineeringUpdate: 'Root cause identified (Redis queue saturation). Fix in progress.',
  writeUpUrl: 'https://status.example-analytics.example/incidents/4127',
  maintenance: {
    system: 'the US query database',
    start: '2026-11-07T02:00:00Z',
    end: '2026-11-07T04:00:00Z',
  },
};

/** The keys of T that may be left out. */
type OptionalKey<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/** FULL as an incident that does not know these facts (yet). */
function fullWithout(...keys: OptionalKey<IncidentFacts>[]): IncidentFacts {
  const facts = { ...FULL };
  for (const key of keys) delete facts[key];
  return facts;
}

function render(phase: Phase, channel: Channel, severity: Severity, over: Partial<RenderInput> = {}) {
  return renderUpdate({
    phase,
    channel,
    account: { name: 'Acme Rockets', greeting: 'Acme team' },
    sender: { name: 'Ada' },
    company: 'Example Analytics',
    ...over,
    incident: { ...(over.incident ?? FULL), severity },
  });
}

const EXPECTED_TEMPLATE: Record<Phase, Record<Severity, TemplateId>> = {
  initial: { SEV1: 'critical', SEV2: 'major', SEV3: 'minor', SEV4: 'maintenance-heads-up' },
  update: { SEV1: 'during', SEV2: 'during', SEV3: 'during', SEV4: 'during' },
  resolution: { SEV1: 'critical-resolution', SEV2: 'resolution', SEV3: 'resolution', SEV4: 'resolution' },
  'maintenance-heads-up': Object.fromEntries(SEVERITIES.map((s) => [s, 'maintenance-heads-up'])),
  'maintenance-complete': Object.fromEntries(SEVERITIES.map((s) => [s, 'maintenance-complete'])),
  postmortem: Object.fromEntries(SEVERITIES.map((s) => [s, 'postmortem'])),
};

const CASES = PHASES.flatMap((phase) =>
  CHANNELS.flatMap((channel) => SEVERITIES.map((severity) => ({ phase, channel, severity }))),
);

describe.each(CASES)('$phase × $channel × $severity', ({ phase, channel, severity }) => {
  const message = render(phase, channel, severity);

  it('uses the handbook template for the phase and severity', () => {
    expect(message.template).toBe(EXPECTED_TEMPLATE[phase][severity]);
    expect(message).toMatchObject({ channel, phase, severity });
  });

  it('is complete, signed by a person, and reads as the handbook asks', () => {
    expect(unfilledPlaceholders(message.text)).toEqual([]);
    expect(message.text).toContain(channel === 'sms' ? ' - Ada' : '— Ada, Example Analytics');
    expect(checkTone(message.text, { severity, phase, company: 'Example Analytics' })).toEqual([]);
  });

  it('has the channel’s shape', () => {
    if (channel === 'slack') {
      const blocks = message.blocks as { type: string; text: { type: string; text: string } }[];
      expect(blocks.every((b) => b.type === 'section' && b.text.type === 'mrkdwn')).toBe(true);
      expect(blocks.map((b) => b.text.text).join('\n\n')).toBe(message.text);
      expect(message.text.startsWith(`*${message.subject}*`)).toBe(true);
    } else if (channel === 'email') {
      expect(message.subject).toBeTruthy();
      expect(message.html).toContain('<p style="margin:0 0 1em">Hey Acme team,</p>');
      expect(message.text.startsWith('Hey Acme team,\n\n')).toBe(true);
    } else {
      expect(message.subject).toBeUndefined();
      expect(message.smsEncoding).toBe('GSM-7');
      expect(message.smsSegments).toBe(smsSize(message.text).segments);
      // The facts above are ordinary: every template fits one segment.
      expect(message.smsSegments).toBe(1);
    }
  });
});

describe('the Critical template, as in the handbook', () => {
  it('initial: subject, outage sentence, cadence, empathy line, personal signature', () => {
    const m = render('initial', 'email', 'SEV1');
    expect(m.subject).toBe('Example Analytics Outage – We’re investigating');
    expect(m.text).toBe(
      [
        'Hey Acme team,',
        'We’re investigating a major outage affecting event ingestion. You may see new events arriving late in dashboards. Engineers are on it — updates every 30 minutes until resolved.',
        'We know this may disrupt your work — thanks for your patience while we get things back online.',
        '— Ada, Example Analytics',
      ].join('\n\n'),
    );
  });

  it('resolution: root cause, duration, impact, write-up within 48 hours', () => {
    const m = render('resolution', 'email', 'SEV1');
    expect(m.text).toContain(
      'Good news — the issue is resolved. Root cause: a configuration change on our side.',
    );
    expect(m.text).toContain('Duration: 15:10–16:47 UTC (1 h 37 min).\nImpact: Events sent between 15:10');
    expect(m.text).toContain('We’re monitoring and will share a full write-up within 48 hours.');
  });

  it('resolution without a known root cause says so instead of failing', () => {
    const m = render('resolution', 'slack', 'SEV1', { incident: fullWithout('rootCause') });
    expect(m.text).toContain('We’re still confirming the root cause and will include it in the write-up.');
  });

  it('without feature and symptom, words come from the services and the title', () => {
    const incident = {
      ...fullWithout('feature', 'symptom', 'impact'),
      services: ['session-replay', 'query'],
    };
    const initial = render('initial', 'email', 'SEV1', { incident });
    expect(initial.text).toContain(
      'a major outage affecting session replay and query. Here’s what we know so far: Event ingestion halted in the US region.',
    );
    const resolution = render('resolution', 'email', 'SEV1', { incident });
    expect(resolution.text).toContain('Impact: Session replay and query were disrupted for 1 h 37 min.');
  });
});

describe('the During update (handbook Slack example)', () => {
  it('carries the engineering update and when the next one comes', () => {
    const m = render('update', 'slack', 'SEV1');
    expect(m.text).toContain(
      'Quick update on event ingestion: Root cause identified (Redis queue saturation). Fix in progress.',
    );
    expect(m.text).toContain('Next update within 30 minutes.');
  });

  it('without an engineering update, builds it from the root cause', () => {
    const m = render('update', 'email', 'SEV2', { incident: fullWithout('engineeringUpdate') });
    expect(m.text).toContain('Root cause identified (a configuration change on our side). Fix in progress.');
    expect(m.text).toContain('Next update within the hour.');
  });

  it('uses the incident’s own next-update time when given', () => {
    const m = render('update', 'email', 'SEV1', { incident: { ...FULL, nextUpdateMinutes: 45 } });
    expect(m.text).toContain('Next update within 45 minutes.');
  });

  it.each(['SEV3', 'SEV4'] as const)('%s promises no cadence (start and close only)', (severity) => {
    const m = render('update', 'email', severity);
    expect(m.text).not.toMatch(/Next update/);
    expect(m.text).toContain('I’ll update once it’s stable.');
  });
});

describe('configuration, not code', () => {
  it('signs with the configured company and never names another', () => {
    const m = render('initial', 'email', 'SEV1', { company: 'Globex Cloud' });
    expect(m.subject).toBe('Globex Cloud Outage – We’re investigating');
    expect(m.text).toContain('— Ada, Globex Cloud');
    expect(m.text + (m.html ?? '')).not.toMatch(/PostHog|Example Analytics/);
  });

  it('writes times in the zone it is given (the account’s)', () => {
    const m = render('resolution', 'email', 'SEV2', { timeZone: 'America/New_York' });
    expect(m.text).toContain('Resolved at 11:47 EST.');
  });

  it('a policy override of the cadence changes the promise', () => {
    const m = render('initial', 'slack', 'SEV1', {
      policy: {
        severities: { SEV1: { cadenceMinutes: 20 } },
        pagerduty: { priorities: {}, withoutPriority: {} },
      },
    });
    expect(m.text).toContain('updates every 20 minutes until resolved');
  });
});

describe('a placeholder that cannot be filled is an error, never a message', () => {
  it.each<[string, Phase, Partial<RenderInput>, string]>([
    ['no sender name', 'initial', { sender: { name: '  ' } }, 'sender.name'],
    ['no company', 'initial', { company: '' }, 'company'],
    [
      'no feature and no services',
      'initial',
      { incident: { ...fullWithout('feature'), services: [] } },
      'incident.feature or incident.services',
    ],
    [
      'resolution before it is resolved',
      'resolution',
      { incident: fullWithout('resolvedAt') },
      'incident.resolvedAt',
    ],
    [
      'maintenance without a window',
      'maintenance-heads-up',
      { incident: fullWithout('maintenance') },
      'incident.maintenance',
    ],
    [
      'post-mortem without the write-up link',
      'postmortem',
      { incident: fullWithout('writeUpUrl') },
      'incident.writeUpUrl',
    ],
    [
      'an unreadable start time',
      'resolution',
      { incident: { ...FULL, startedAt: 'yesterday' } },
      'incident.resolvedAt',
    ],
  ])('%s', (_, phase, over, missing) => {
    for (const channel of CHANNELS) {
      let error: unknown;
      try {
        render(phase, channel, 'SEV1', over);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).name).toBe('TemplateError');
      expect((error as TemplateError).missing).toContain(missing);
    }
  });

  it('finds placeholders left in a human edit', () => {
    expect(
      unfilledPlaceholders('Hey [Name/Team], outage in [feature]. — [Your Name], Acme {company}'),
    ).toEqual(['[Name/Team]', '[feature]', '[Your Name]', '{company}']);
    expect(unfilledPlaceholders('Hey Acme team, see [the dashboard](https://x.example).')).toEqual([]);
  });
});

describe('escaping', () => {
  const incident = { ...fullWithout('symptom'), title: 'Errors for <script> & "friends"' };

  it('email HTML escapes the incident’s words', () => {
    const m = render('initial', 'email', 'SEV2', { incident });
    expect(m.html).toContain('Errors for &lt;script&gt; &amp; &quot;friends&quot;');
    expect(m.html).not.toContain('<script>');
    expect(m.text).toContain('Errors for <script> & "friends"');
  });

  it('Slack mrkdwn escapes &, < and >', () => {
    const m = render('initial', 'slack', 'SEV2', { incident });
    expect(m.text).toContain('Errors for &lt;script&gt; &amp; "friends"');
  });

  it('the write-up link is a link in HTML', () => {
    const m = render('postmortem', 'email', 'SEV1');
    expect(m.html).toContain('<a href="https://status.example-analytics.example/incidents/4127">');
  });
});
