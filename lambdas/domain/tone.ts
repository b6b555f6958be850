import type { Phase, Severity } from '../contract/payloads.ts';
import { policyFor, promisesNextUpdate } from './ladder.ts';
import type { PolicyConfig } from './policy.ts';
import { CLOSING, NEXT_UPDATE_PROMISES, TONE_RULES, type ToneRule, type ToneRuleId } from './tone-rules.ts';

export interface ToneFinding {
  rule: ToneRuleId;
  principle: ToneRule['principle'];
  /** The offending words as written ('' when the finding is about something missing). */
  words: string;
  /** Where the words start in the text (-1 when missing). */
  index: number;
  /** The handbook's example of what to write instead. */
  suggestion: string;
  message: string;
}

export interface ToneContext {
  severity?: Severity | undefined;
  /** The company's ladder, for whether this severity promises the next update (default: the handbook's). */
  policy?: PolicyConfig | undefined;
  /** Closing messages (resolution, post-mortem, maintenance) promise no next update. */
  phase?: Phase;
  /** Flags a message signed by the company instead of a person ("— Example Analytics"). */
  company?: string;
}

/** Runs every tone rule over a draft or a human edit. An empty list means the message reads as the handbook asks. */
export function checkTone(text: string, context: ToneContext = {}): ToneFinding[] {
  // Straightening quotes keeps offsets: each is one UTF-16 unit replaced by one.
  const plain = text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
  const findings: ToneFinding[] = [];
  const tone = context.policy?.tone;
  const off = new Set(tone?.off ?? []);
  for (const rule of TONE_RULES) {
    if (off.has(rule.id)) continue;
    // search() ignores a pattern's lastIndex, so a rule's `unless` may be written with or without g.
    if (rule.unless?.some((p) => plain.search(p) >= 0)) continue;
    const spans: { index: number; end: number }[] = [];
    const own = [...companySignature(rule, context.company), ...internalNames(rule, tone?.internalNames)];
    for (const pattern of [...rule.patterns, ...own]) {
      for (const match of plain.matchAll(pattern)) {
        const lead = match[0].length - match[0].trimStart().length;
        const index = match.index + lead;
        const end = match.index + match[0].trimEnd().length;
        if (spans.some((s) => index < s.end && end > s.index)) continue; // one finding per stretch of words
        spans.push({ index, end });
        findings.push(finding(rule, text.slice(index, end), index));
      }
    }
  }
  const missing = off.has('no-next-update') ? undefined : missingNextUpdate(plain, context);
  if (missing) findings.push(missing);
  return findings.sort((a, b) => a.index - b.index);
}

function companySignature(rule: ToneRule, company: string | undefined): RegExp[] {
  if (rule.id !== 'signed-by-team' || !company?.trim()) return [];
  const name = escapeRegExp(company.trim());
  return [
    new RegExp(
      `^[ \\t]*(?:[-—–]+[ \\t]*|${CLOSING},?[ \\t]*)?(?:the\\s+)?${name}[ \\t]*[.!]?[ \\t]*$`,
      'gimu',
    ),
  ];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The company's own internal names (policy `tone.internalNames`), as whole words in any case. */
function internalNames(rule: ToneRule, names: readonly string[] | undefined): RegExp[] {
  if (rule.id !== 'internal-names' || !names?.length) return [];
  const words = names.map((n) => escapeRegExp(n.trim())).filter(Boolean);
  return [new RegExp(`(?<![\\p{L}\\p{N}_-])(?:${words.join('|')})(?![\\p{L}\\p{N}_-])`, 'giu')];
}

const CLOSING_PHASES: ReadonlySet<Phase> = new Set([
  'resolution',
  'postmortem',
  'maintenance-heads-up',
  'maintenance-complete',
]);

function missingNextUpdate(text: string, context: ToneContext): ToneFinding | undefined {
  if (!context.severity || !promisesNextUpdate(policyFor(context.severity, context.policy))) return undefined;
  if (context.phase && CLOSING_PHASES.has(context.phase)) return undefined;
  if (NEXT_UPDATE_PROMISES.some((p) => p.test(text))) return undefined;
  const rule = TONE_RULES.find((r) => r.id === 'no-next-update');
  return (
    rule && {
      ...finding(rule, '', -1),
      message: `${rule.principle}: ${rule.why} (${context.severity}). Try: “${rule.suggestion}”`,
    }
  );
}

function finding(rule: ToneRule, words: string, index: number): ToneFinding {
  return {
    rule: rule.id,
    principle: rule.principle,
    words,
    index,
    suggestion: rule.suggestion,
    message: `${rule.principle}: “${words}” — ${rule.why}. Try: “${rule.suggestion}”`,
  };
}
