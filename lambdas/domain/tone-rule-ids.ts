/**
 * The tone rules' ids (tone-rules.ts), on their own: the policy schema names them (`tone.off`), and a
 * bundle that validates a roster need not carry the rules' word tables with them.
 */
export const TONE_RULE_IDS = [
  'status-speak',
  'vague-audience',
  'formulaic-apology',
  'jargon',
  'blames-others',
  'signed-by-team',
  'no-next-update',
  'shouting',
  'unknown-without-plan',
  'internal-names',
  'overpromise',
] as const;
export type ToneRuleId = (typeof TONE_RULE_IDS)[number];
