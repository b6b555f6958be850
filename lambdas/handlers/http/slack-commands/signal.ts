import { randomUUID } from 'node:crypto';
import { signalIncident, type SignalOutcome } from '../../../adapters/incident-lifecycle.ts';
import { ArgumentError } from './args.ts';
import type { CommandContext, Subcommand } from './context.ts';
import { whichIncident } from './which.ts';

/** The same limit as a PagerDuty status update: a fact for a draft, not a log. */
const MAX_TEXT = 2_000;

/** The event id a command's change carries: Slack's trigger id, so a resubmitted command is the same event. */
export function eventId(ctx: CommandContext): string {
  return `slack-${ctx.triggerId && /^[\w.-]{1,100}$/.test(ctx.triggerId) ? ctx.triggerId : randomUUID()}`;
}

function outcomeText(outcome: SignalOutcome): string {
  switch (outcome) {
    case 'delivered':
      return 'The workflow has it now.';
    case 'queued':
      return 'The workflow picks it up as soon as the step it is on finishes.';
    case 'duplicate':
      return 'This was already received; nothing changed.';
    case 'already-resolved':
      return 'It was already resolved; nothing changed.';
    case 'unknown-incident':
      return 'The incident is gone; nothing changed.';
  }
}

/** `/comms update [id] <text>`: what a PagerDuty status update does — the text goes into an update now. */
export const update: Subcommand = async (ctx, text) => {
  const which = await whichIncident(ctx, text, 'change');
  if (!which.ok) return which.reply;
  const { incident } = which;
  const body = which.rest.trim();
  if (!body)
    throw new ArgumentError(
      'Say what engineering knows now, e.g. `/comms update Root cause found; fix rolling out`.',
    );
  if (incident.status === 'resolved') {
    return `${incident.incidentId} is resolved; updates are no longer sent. Nothing changed.`;
  }
  const outcome = await signalIncident(incident.incidentId, {
    eventId: eventId(ctx),
    type: 'engineering_update',
    receivedAt: ctx.now.toISOString(),
    changes: { engineeringUpdate: body.slice(0, MAX_TEXT) },
  });
  return `Engineering update recorded for *${incident.incidentId}* (${incident.title}); owners get a fresh draft with it. ${outcomeText(outcome)}`;
};

/** `/comms resolve [id] [summary]`: what PagerDuty's incident.resolved does; the summary is the root cause. */
export const resolve: Subcommand = async (ctx, text) => {
  const which = await whichIncident(ctx, text, 'change');
  if (!which.ok) return which.reply;
  const { incident } = which;
  if (incident.status === 'resolved') return `${incident.incidentId} is already resolved. Nothing changed.`;
  const summary = which.rest.trim().slice(0, MAX_TEXT);
  const outcome = await signalIncident(incident.incidentId, {
    eventId: eventId(ctx),
    type: 'resolved',
    receivedAt: ctx.now.toISOString(),
    changes: {
      status: 'resolved',
      resolvedAt: ctx.now.toISOString(),
      ...(summary ? { rootCause: summary } : {}),
    },
  });
  return `Resolved *${incident.incidentId}* (${incident.title}); owners get the closing update${summary ? ' with your summary as the root cause' : ''}. ${outcomeText(outcome)}`;
};
