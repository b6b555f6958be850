import {
  TemplateError,
  formatDayClock,
  planIncident,
  renderUpdate,
  type IncidentFacts,
  type Phase,
} from '../../lambdas/domain/index.ts';
import { ifDefined } from '../../lambdas/domain/optional.ts';
import { EXAMPLE_ROSTER, UsageError, parse, parseTime, relative } from './cli-io.ts';
import { formatPlan } from './dry-run-format.ts';
import { readIncident } from './incident-input.ts';
import { formatMessage } from './preview-command.ts';
import { loadPolicy, loadRoster } from './roster-command.ts';

export const DRY_RUN_USAGE = `comms dry-run --incident <PagerDuty v3 event file> [--roster <file>] [--policy <file>]
              [--at <ISO time>] [--json]
                                        who would be told what, when, through which channel, and who covers whom;
                                        --policy: a policy file instead of the roster's own "policy"`;

/** PagerDuty event → what the workflow does with it. Events not listed are acknowledged and ignored. */
const PHASE_FOR_EVENT: Readonly<Record<string, Phase>> = {
  'incident.triggered': 'initial',
  'incident.reopened': 'initial',
  'incident.priority_updated': 'update',
  'incident.resolved': 'resolution',
};

export function dryRunCommand(args: string[]): number {
  const command = 'comms dry-run';
  const { values, positionals } = parse(command, args, {
    incident: { type: 'string' },
    roster: { type: 'string' },
    policy: { type: 'string' },
    at: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0)
    throw new UsageError(`${command}: unexpected argument "${positionals[0]}" (use --incident <file>)`);
  if (!values.incident)
    throw new UsageError(
      `${command}: give --incident <PagerDuty v3 event file>, e.g. config/examples/pagerduty-incident-triggered.json`,
    );
  const rosterFile = values.roster ?? EXAMPLE_ROSTER;
  const roster = loadRoster(rosterFile);
  // A policy file stands in for the roster's own `policy` (to try overrides before importing them).
  const config = values.policy ? loadPolicy(values.policy) : roster.policy;
  const input = readIncident(values.incident, roster, config);

  const event = input.kind === 'pagerduty' ? input.event : undefined;
  const phase = event ? PHASE_FOR_EVENT[event.eventType] : 'initial';
  if (!input.facts || !phase) {
    const type = event?.eventType ?? 'this event';
    const extra = event?.text ? `\n  its text would become the engineering update: “${event.text}”` : '';
    console.log(
      `${type} for incident ${event?.incidentId ?? '?'}: no new round of customer comms starts from this event alone.` +
        `${extra}\n  The running execution for the incident decides; dry-run its incident.triggered event to see who is told.`,
    );
    return 0;
  }
  const facts: IncidentFacts = input.facts;
  const at = values.at ? parseTime(command, values.at) : new Date(event?.occurredAt ?? facts.startedAt);
  const plan = planIncident({ roster, incident: facts, phase, at, ...ifDefined('config', config) });

  // A sample of the message itself, as the first affected account would get it from whoever sends first.
  const first = plan.owners[0];
  const sample = first?.accounts[0];
  const sender = first?.steps[0]?.person;
  let draft: string;
  try {
    draft =
      sample && sender
        ? sample.channels
            .map((channel) =>
              formatMessage(
                renderUpdate({
                  phase,
                  channel,
                  incident: facts,
                  account: { name: sample.account.name, ...ifDefined('greeting', sample.account.greeting) },
                  sender,
                  company: roster.company.name,
                  ...ifDefined('policy', config),
                }),
              ),
            )
            .join('\n\n')
        : '';
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    draft = `✗ ${error.message}`;
  }

  if (values.json) {
    console.log(JSON.stringify({ event: event ?? null, incident: facts, plan }, null, 2));
    return 0;
  }
  console.log(
    formatPlan({
      plan,
      incident: facts,
      ...ifDefined('event', event),
      at,
      atGiven: values.at !== undefined,
      rosterFile: relative(rosterFile),
      company: roster.company.name,
      ...ifDefined('sampleAccount', sample?.account.name),
      draft,
    }),
  );
  if (!sample)
    console.log(
      `\nNobody would be told: no account uses ${facts.services.join(', ') || 'the affected services'} (at ${formatDayClock(at, 'UTC')}).`,
    );
  return 0;
}
