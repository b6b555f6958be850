import { PHASES, TONE_RULES, checkTone, levelNames, type ToneFinding } from '../../lambdas/domain/index.ts';
import { ifDefined } from '../../lambdas/domain/optional.ts';
import { UsageError, oneOf, parse, readText } from './cli-io.ts';
import { loadPolicy } from './roster-command.ts';

export const TONE_USAGE = `comms tone <text | -> [--severity <level>] [--phase <phase>] [--company <name>]
           [--policy <file>] [--json]
                                        check wording against the handbook's tone rules; exit 1 on findings;
                                        --policy: the ladder the severity is one of (default SEV1–SEV4)`;

export function toneCommand(args: string[]): number {
  const command = 'comms tone';
  const { values, positionals } = parse(command, args, {
    severity: { type: 'string' },
    phase: { type: 'string' },
    company: { type: 'string' },
    policy: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length === 0)
    throw new UsageError(`${command}: give the text to check, or - to read it from stdin`);
  const text =
    positionals.length === 1 && positionals[0] === '-' ? readText('-', 'stdin') : positionals.join(' ');
  const policy = values.policy ? loadPolicy(values.policy) : undefined;
  const findings = checkTone(text, {
    ...ifDefined('severity', oneOf(command, 'severity', values.severity, levelNames(policy))),
    ...ifDefined('policy', policy),
    ...ifDefined('phase', oneOf(command, 'phase', values.phase, PHASES)),
    ...ifDefined('company', values.company),
  });
  if (values.json) console.log(JSON.stringify(findings, null, 2));
  else console.log(formatFindings(text, findings));
  return findings.length > 0 ? 1 : 0;
}

export function formatFindings(text: string, findings: ToneFinding[]): string {
  if (findings.length === 0) return '✓ No tone findings.';
  const lines = [`✗ ${findings.length} tone finding${findings.length === 1 ? '' : 's'}:`];
  for (const f of findings) {
    const why = TONE_RULES.find((r) => r.id === f.rule)?.why ?? '';
    const line = f.index >= 0 ? ` line ${text.slice(0, f.index).split('\n').length}` : '';
    lines.push(`  ${f.principle} (${f.rule}${line}): ${f.words ? `“${f.words}” — ` : ''}${why}`);
    lines.push(`      try: “${f.suggestion}”`);
  }
  return lines.join('\n');
}
