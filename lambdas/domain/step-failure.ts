import type { StepFailure } from './records/action.ts';

/**
 * What the CMOC is shown of a step that failed past its retries: the error's name and a short message
 * read out of Step Functions' cause. The cause is whatever the failing code said (a Lambda's errorMessage,
 * a child execution's own cause), so it is cut short and stripped of anything that could be secret or
 * personal — addresses, numbers, links, tokens, ARNs — before it reaches Slack.
 */
const MAX_MESSAGE = 200;
const MAX_DEPTH = 3;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The innermost message a cause carries: Lambda's errorMessage, or a child execution's Cause. */
function messageOf(cause: string, depth = 0): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(cause);
  } catch {
    return cause;
  }
  if (typeof parsed === 'string') return parsed;
  if (!isObj(parsed)) return '';
  if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  // A child execution that failed: its own Error and Cause, one level down.
  if (typeof parsed.Cause === 'string' && depth < MAX_DEPTH) {
    const inner = messageOf(parsed.Cause, depth + 1);
    const error = typeof parsed.Error === 'string' ? parsed.Error : '';
    return [error, inner].filter(Boolean).join(': ');
  }
  if (typeof parsed.Error === 'string') return parsed.Error;
  return '';
}

const REDACTIONS: [RegExp, string][] = [
  [/\bhttps?:\/\/\S+/gi, '(a link)'],
  [/\barn:aws[\w-]*:\S+/gi, '(an AWS resource)'],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '(an address)'],
  [/\bxox[a-z]-[\w-]+/gi, '(a token)'],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, '(a key)'],
  // Phone numbers and other long numbers (account ids, card-like digits).
  [/\+?\d[\d\s().-]{6,}\d/g, '(a number)'],
  // Long opaque strings: task tokens, secrets, hashes.
  [/[A-Za-z0-9+/_=-]{32,}/g, '(a token)'],
];

/** A message safe to put in front of the CMOC: redacted, one line, at most MAX_MESSAGE characters. */
export function safeMessage(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REDACTIONS) out = out.replace(pattern, replacement);
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE - 1)}…` : out;
}

/** Error names are identifiers; anything else (or an absurdly long one) is not shown as one. */
function safeErrorName(error: string): string {
  return /^[A-Za-z][\w.]{0,80}$/.test(error) ? error : 'Error';
}

/** The failure of `step` as the CMOC's DM shows it. */
export function stepFailure(step: string, error: string, cause: string): StepFailure {
  return { step, error: safeErrorName(error), message: safeMessage(messageOf(cause)) };
}

/** What happened, in plain words, for the error names that have a plain meaning. */
export function whatHappened(error: string): string {
  switch (error) {
    case 'States.Timeout':
      return 'did not finish in time';
    case 'Lambda.TooManyRequestsException':
      return 'could not run: too many functions were running at once';
    case 'States.TaskFailed':
      return 'failed';
    default:
      return 'failed with an error';
  }
}
