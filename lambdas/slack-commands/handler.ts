import { header, json, rawBody, type HttpEvent, type HttpResult } from '../adapters/http.ts';
import { findIncident, listIncidents } from '../adapters/incidents.ts';
import { logOf } from '../adapters/notification-log.ts';
import { secret } from '../adapters/secrets.ts';
import { verifySlackSignature } from '../adapters/signatures.ts';

const USAGE = [
  '*/comms* — incident customer comms',
  '• `/comms status [incident-id]` — who has been notified, per account (latest incident when no id is given)',
  '• `/comms help` — this help',
].join('\n');

const ephemeral = (textBody: string): HttpResult => json(200, { response_type: 'ephemeral', text: textBody });

export const handler = async (event: HttpEvent): Promise<HttpResult> => {
  const body = rawBody(event);
  const verified = verifySlackSignature(
    body,
    { signature: header(event, 'x-slack-signature'), timestamp: header(event, 'x-slack-request-timestamp') },
    await secret('SLACK', 'SLACK_SIGNING_SECRET'),
  );
  if (!verified.ok) return json(401, { error: verified.reason });
  const form = new URLSearchParams(body);
  const [sub = 'help', ...args] = (form.get('text') ?? '').trim().split(/\s+/).filter(Boolean);
  switch (sub.toLowerCase()) {
    case 'help':
      return ephemeral(USAGE);
    case 'status':
      return ephemeral(await status(args[0]));
    default:
      return ephemeral(`Unknown subcommand "${sub}".\n${USAGE}`);
  }
};

async function status(incidentId: string | undefined): Promise<string> {
  const incident = incidentId ? await findIncident(incidentId) : (await listIncidents(1))[0];
  if (!incident) return incidentId ? `No incident ${incidentId}.` : 'No incidents yet.';
  const log = await logOf(incident.incidentId);
  const lines = log.map(
    (e) =>
      `• round ${e.round} · ${e.accountId} · ${e.channel}: ${e.status}${e.sentAt ? ` at ${e.sentAt.slice(11, 16)} UTC` : ''}`,
  );
  return [
    `*${incident.severity} · ${incident.title}* (${incident.incidentId}) — ${incident.status}, ${incident.rounds} round(s)`,
    ...(lines.length > 0 ? lines : ['No notifications yet.']),
  ].join('\n');
}
