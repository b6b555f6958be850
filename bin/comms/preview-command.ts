import {
  CHANNELS,
  PHASES,
  levelNames,
  TemplateError,
  checkTone,
  renderUpdate,
  type Channel,
  type RenderedMessage,
} from '../../lambdas/domain/index.ts';
import { ifDefined } from '../../lambdas/domain/optional.ts';
import { EXAMPLE_ROSTER, UsageError, oneOf, parse } from './cli-io.ts';
import { readIncident, sampleIncident } from './incident-input.ts';
import { loadPolicy, loadRoster } from './roster-command.ts';
import { formatFindings } from './tone-command.ts';

export const PREVIEW_USAGE = `comms preview --severity <level> --phase <phase> [--channel slack|email|sms]
              [--incident <facts or PagerDuty event file>] [--account <id>] [--sender <name>]
              [--roster <file>] [--policy <file>] [--tz <IANA zone>] [--html] [--json]
                                        render a customer message as it would be sent;
                                        --policy: a policy file instead of the roster's own "policy"
  phases: ${PHASES.join(', ')}`;

export function previewCommand(args: string[]): number {
  const command = 'comms preview';
  const { values, positionals } = parse(command, args, {
    severity: { type: 'string' },
    phase: { type: 'string' },
    channel: { type: 'string' },
    incident: { type: 'string' },
    account: { type: 'string' },
    sender: { type: 'string' },
    roster: { type: 'string' },
    policy: { type: 'string' },
    tz: { type: 'string' },
    html: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`${command}: unexpected argument "${positionals[0]}"`);
  const phase = oneOf(command, 'phase', values.phase, PHASES) ?? 'initial';
  const channels: Channel[] = values.channel
    ? [oneOf(command, 'channel', values.channel, CHANNELS) ?? 'slack']
    : [...CHANNELS];
  const roster = loadRoster(values.roster ?? EXAMPLE_ROSTER);
  // A policy file stands in for the roster's own `policy` (to try overrides before importing them).
  const config = values.policy ? loadPolicy(values.policy) : roster.policy;
  // The company's ladder, not a fixed list: a level its policy defines (SEV0) previews like any other.
  const severityFlag = oneOf(command, 'severity', values.severity, levelNames(config));

  let incident = values.incident ? readIncident(values.incident, roster, config).facts : undefined;
  if (values.incident && !incident)
    throw new UsageError(
      `${command}: ${values.incident} is a PagerDuty event without the incident; use an incident event`,
    );
  if (!incident) {
    if (!severityFlag) throw new UsageError(`${command}: give --severity (or --incident with a severity)`);
    incident = sampleIncident(severityFlag);
  }
  if (severityFlag) incident = { ...incident, severity: severityFlag };

  const account = values.account
    ? roster.accounts.find((a) => a.id === values.account)
    : (roster.accounts.find((a) => a.services.some((s) => incident.services.includes(s))) ??
      roster.accounts[0]);
  if (!account)
    throw new UsageError(
      `${command}: no account "${values.account}" in the roster (ids: ${roster.accounts.map((a) => a.id).join(', ')})`,
    );
  const owner = roster.people.find((p) => p.id === account.ownerId);
  const sender = { name: values.sender ?? owner?.name ?? '' };
  const timeZone = values.tz ?? account.timeZone ?? 'UTC';

  const messages: RenderedMessage[] = [];
  try {
    for (const channel of channels) {
      messages.push(
        renderUpdate({
          phase,
          channel,
          incident,
          account: { name: account.name, ...ifDefined('greeting', account.greeting) },
          sender,
          company: roster.company.name,
          timeZone,
          ...ifDefined('policy', config),
        }),
      );
    }
  } catch (error) {
    if (error instanceof TemplateError) {
      console.error(`✗ ${error.message}`);
      return 1;
    }
    throw error;
  }
  if (values.json) {
    console.log(JSON.stringify(messages.length === 1 ? messages[0] : messages, null, 2));
    return 0;
  }
  console.log(
    `${incident.severity} ${phase} for ${account.name} (${account.id}), signed by ${sender.name}, times in ${timeZone}\n`,
  );
  for (const message of messages) {
    console.log(formatMessage(message, values.html === true));
    const findings = checkTone(message.text, {
      severity: incident.severity,
      policy: config,
      phase,
      company: roster.company.name,
    });
    console.log(`\n${indent(formatFindings(message.text, findings))}\n`);
  }
  return 0;
}

export function formatMessage(message: RenderedMessage, html = false): string {
  const title = `── ${message.channel} · template ${message.template} `;
  const lines = [title.padEnd(72, '─')];
  if (message.channel === 'sms') {
    lines.push(
      `${message.text.length} characters, ${message.smsSegments} segment(s), ${message.smsEncoding}`,
    );
  } else if (message.subject && message.channel === 'email') {
    lines.push(`Subject: ${message.subject}`);
  }
  lines.push('', ...message.text.split('\n').map((l) => `  ${l}`));
  if (html && message.html) lines.push('', message.html);
  return lines.join('\n');
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
