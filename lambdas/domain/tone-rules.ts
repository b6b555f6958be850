import { PROVIDERS, WIDER_TONE_RULES } from './tone-rules-wider.ts';
import type { ToneRuleId } from './tone-rule-ids.ts';

export type { ToneRuleId } from './tone-rule-ids.ts';

/**
 * The handbook's "Tone and voice" table as rules. Each rule holds the "Avoid" example's family (written
 * as patterns over words, so paraphrases are caught) and the handbook's "Example" as the suggested rewrite.
 * Patterns run on text with curly quotes straightened and are case-insensitive.
 */
export interface ToneRule {
  id: ToneRuleId;
  principle: 'Direct' | 'Empathetic' | 'Plain English' | 'Ownership' | 'Human-centric' | 'Consistency';
  why: string;
  suggestion: string;
  patterns: RegExp[];
  /** When any of these is found anywhere in the message, the rule's findings are dropped. */
  unless?: readonly RegExp[];
}

const VAGUE_TROUBLE =
  '(?:issues?|problems?|difficult(?:y|ies)|disruptions?|degradation|interruptions?|instability|anomal(?:y|ies)|outages?|errors?|incidents?|slowness|delays?|latency|hiccups?)';
const HEDGE =
  '(?:an?|some|the|certain|several|a few|minor|major|ongoing|intermittent|temporary|unexpected|technical|service|partial|possible|potential|elevated|increased|higher|reduced|degraded|performance|connectivity)';
const WHO =
  '(?:users|customers|accounts|clients|organi[sz]ations|orgs|tenants|projects|requests|traffic|instances|workspaces)';
// The sign-off patterns are case-sensitive: with the i flag, \p{Lu} would match lowercase letters too and
// "Please contact our support team." would read as a signature.
const anyCase = (words: string[]) =>
  words.map((w) => `[${w[0]?.toUpperCase()}${w[0]}]${w.slice(1)}`).join('|');
export const CLOSING = `(?:${anyCase(['best', 'thanks', 'thank you', 'many thanks', 'regards', 'kind regards', 'best regards', 'warm regards', 'cheers', 'sincerely', 'warmly', 'yours'])})`;
const TEAM_NAME =
  "(?:[Tt]he\\s+(?:[\\p{L}\\p{N}&.'-]+\\s+){0,4}|(?:\\p{Lu}[\\p{L}\\p{N}&.'-]*\\s+){1,4})(?:[Tt]eam|TEAM)";

export const TONE_RULES: readonly ToneRule[] = [
  {
    id: 'status-speak',
    principle: 'Direct',
    why: 'status-speak hides what is broken',
    suggestion: 'Event ingestion is paused.',
    patterns: [
      new RegExp(`\\bexperienc(?:e|es|ed|ing)\\s+(?:${HEDGE}\\s+){0,3}${VAGUE_TROUBLE}\\b`, 'giu'),
      /\b(?:an?|some|the)\s+(?:issue|problem|incident|situation)\s+(?:that\s+(?:is|was|may\s+be|might\s+be)\s+)?(?:affecting|impacting)\b/giu,
      /\b(?:aware\s+of|investigating\s+reports?\s+of)\s+(?:an?|some)\s+(?:\w+\s+)?(?:issues?|problems?|reports?)\b/giu,
      // "We are investigating an issue." — trouble announced without saying what is broken.
      /\b(?:investigating|seeing|having|looking\s+into|working\s+on)\s+(?:an?|some|the)\s+(?:\w+\s+)?(?:issues?|problems?)(?=\s*(?:[.!?;]|$))/gimu,
      /\btechnical\s+difficult(?:y|ies)\b/giu,
      /\bservice\s+(?:disruptions?|interruptions?|degradation|issues?)\b/giu,
      /\bunexpected\s+behaviou?r\b/giu,
      /\bat\s+this\s+(?:point\s+in\s+)?time\b/giu,
      /\brest\s+assured\b/giu,
      /\btake\s+(?:this|these|it|the\s+\w+|your\s+\w+)\s+(?:very\s+|extremely\s+)?seriously\b/giu,
      /\b(?:may|might|could)\s+(?:be|have\s+been)\s+(?:impacted|affected)\b/giu,
      /\bimpacted\s+(?:users|customers|services|functionality|features?)\b/giu,
      /\bdiligently\b/giu,
      /\bout\s+of\s+an\s+abundance\s+of\s+caution\b/giu,
    ],
  },
  {
    id: 'vague-audience',
    principle: 'Direct',
    why: 'it hides who is affected; name them, or say "you"',
    suggestion: 'Event ingestion is paused.',
    patterns: [
      new RegExp(
        `\\b(?:(?:an?|some)\\s+)?(?:(?:very\\s+)?(?:small|limited|certain|tiny|large|significant)\\s+)?(?:subset|portion|fraction|percentage|proportion|segment|number|handful|minority|group)\\s+of\\s+(?:our\\s+|the\\s+)?${WHO}\\b`,
        'giu',
      ),
      new RegExp(`\\b(?:certain|select|some|a\\s+few|limited)\\s+${WHO}\\s+(?:may|might|could)\\b`, 'giu'),
    ],
  },
  {
    id: 'formulaic-apology',
    principle: 'Empathetic',
    why: 'a formula, not empathy; say what it means for them and what we are doing',
    suggestion: 'I know this blocks work; it’s our top priority.',
    patterns: [
      // The whole formula first, so the finding quotes it; the bare word catches the rest of the family.
      /\b(?:(?:we|i)\s+(?:sincerely\s+|deeply\s+|truly\s+)?(?:apologi[sz]e|are\s+sorry|am\s+sorry|regret)|(?:our|my)\s+apologies|sorry)\s+for\s+(?:the|any|all\s+the)\s+inconvenien\w*(?:\s+(?:this|that)\s+(?:may\s+(?:have\s+)?)?(?:caused|causes|cause))?/giu,
      /\binconvenien(?:ce|ces|t|ced)\b/giu,
      /\b(?:we|i)\s+(?:sincerely\s+|deeply\s+|truly\s+)?(?:apologi[sz]e|regret)\b[^.!?\n]{0,40}?\b(?:any|the)\s+(?:disruption|trouble|issues?|impact|problems?|frustration)\b/giu,
      /\bwe\s+regret\s+to\s+inform\s+you\b/giu,
      /\bplease\s+accept\s+(?:our|my)\s+(?:sincere\s+|sincerest\s+|deepest\s+)?apolog(?:y|ies)\b/giu,
      /\bsorry\s+for\s+any\b/giu,
      /\bfor\s+your\s+(?:patience\s+and\s+)?understanding\b/giu,
    ],
  },
  {
    id: 'jargon',
    principle: 'Plain English',
    why: 'engineering jargon; say what the customer will notice',
    suggestion: 'Dashboards might not update.',
    patterns: [
      /\bdegrad(?:ed|ation)\b/giu,
      /\blatenc(?:y|ies)\b/giu,
      /\b(?:elevated|increased|higher(?:\s+than\s+(?:normal|usual))?)\s+(?:error\s+rates?|errors|response\s+times?|failure\s+rates?)\b/giu,
      /\berror\s+rates?\b/giu,
      /\bthroughput\b/giu,
      /\bp(?:50|75|90|95|99|999)\b/giu,
      /\bsub-?optimal\b/giu,
      /\b(?:reduced|impaired|diminished)\s+(?:performance|functionality|availability|capacity)\b/giu,
      /\bintermittent\s+(?:connectivity|availability|failures)\b/giu,
    ],
  },
  {
    id: 'blames-others',
    principle: 'Ownership',
    why: 'customers chose us, not our suppliers; own the problem',
    suggestion: 'We identified a config issue on our side.',
    patterns: [
      /\bthird[-\s]?part(?:y|ies)\s+(?:dependency|dependencies|providers?|vendors?|services?|suppliers?|partners?|components?|librar(?:y|ies)|systems?|platforms?|infrastructure|outages?|issues?|problems?|failures?)\b/giu,
      /\b(?:upstream|external)\s+(?:providers?|vendors?|dependency|dependencies|services?|suppliers?|partners?|outages?|issues?|problems?|failures?)\b/giu,
      new RegExp(
        `\\b(?:caused\\s+by|due\\s+to|because\\s+of|result\\s+of|stemm(?:ed|ing)\\s+from|originat(?:ed|ing)\\s+(?:at|with|from)|triggered\\s+by)\\s+(?:an?\\s+|the\\s+)?(?:[\\w-]+\\s+){0,3}?(?:${PROVIDERS}|(?:one\\s+of\\s+)?our\\s+(?:vendors?|providers?|partners?|suppliers?)|an?\\s+(?:vendor|provider|partner|supplier))\\b`,
        'giu',
      ),
      /\b(?:outside|beyond)\s+(?:of\s+)?our\s+control\b/giu,
      /\b(?:our|a|the)\s+(?:cloud|hosting|infrastructure|network|cdn|dns|email|sms|payments?)\s+(?:providers?|vendors?|partners?)\b/giu,
      // A supplier named, or its mistake: "our provider AWS", "a vendor's mistake", "Cloudflare's outage".
      /\bour\s+(?:providers?|vendors?|suppliers?)\b/giu,
      /\b(?:an?\s+|the\s+|our\s+)?(?:vendor|provider|supplier|partner|contractor|third[-\s]party)(?:'s|s')\s+(?:[\w-]+\s+)?(?:mistakes?|errors?|fault|outages?|failures?|bugs?|misconfiguration|problems?|issues?|incidents?)\b/giu,
      new RegExp(
        // No word between the name and the fault: "the GitHub integration is down" is about our feature.
        `\\b${PROVIDERS}(?:'s)?\\s+(?:mistakes?|fault|outages?|failures?|bugs?|misconfiguration|problems?|issues?|incidents?|errors?|(?:is|was)\\s+(?:to\\s+blame|at\\s+fault|responsible))\\b`,
        'giu',
      ),
      /\bnot\s+our\s+fault\b|\b(?:the\s+)?(?:blame|fault)\s+(?:lies|lay|rests|rested)\s+with\b/giu,
    ],
  },
  {
    id: 'signed-by-team',
    principle: 'Human-centric',
    why: 'messages come from people, not "The … Team"',
    suggestion: 'Sign with your own name: “— Ada, <Company>”.',
    patterns: [
      // A sign-off line that is (a closing and) "The … Team".
      new RegExp(
        `^[ \\t]*(?:[-—–]+[ \\t]*)?(?:${CLOSING},?[ \\t]*(?:[-—–][ \\t]*)?)?${TEAM_NAME}[ \\t]*[.!]?[ \\t]*$`,
        'gmu',
      ),
      // A department as the signature: "Kind regards,\nCustomer Success", "— Example Analytics Support".
      new RegExp(
        `^[ \\t]*(?:[-—–]+[ \\t]*)?(?:[Tt]he\\s+)?(?:\\p{Lu}[\\p{L}\\p{N}&.'-]*\\s+){0,3}(?:Support|Customer Success|Success|Operations|Engineering|Reliability|SRE)(?:\\s+(?:[Tt]eam|TEAM))?[ \\t]*[.!]?[ \\t]*$`,
        'gmu',
      ),
      // The same at the end of a line after a dash: "Thanks! — The Acme Team".
      new RegExp(`[-—–][ \\t]*${TEAM_NAME}[ \\t]*[.!]?[ \\t]*$`, 'gmu'),
      new RegExp(
        `\\b[Oo]n\\s+behalf\\s+of\\s+(?:everyone\\s+at\\s+|all\\s+of\\s+us\\s+at\\s+)?${TEAM_NAME}\\b`,
        'gu',
      ),
    ],
  },
  {
    id: 'no-next-update',
    principle: 'Consistency',
    why: "updates at a level with a cadence (the handbook's SEV1 and SEV2) must say when the next one comes",
    suggestion: 'Updates every 30 minutes until resolved. / Next update within the hour.',
    patterns: [],
  },
  ...WIDER_TONE_RULES,
];

/** Any of these is a promise of when the next update comes. */
export const NEXT_UPDATE_PROMISES: readonly RegExp[] = [
  /\b(?:updates?|check\s+in|hear\s+from\s+(?:me|us)|be\s+back\s+in\s+touch|get\s+back\s+to\s+you|report\s+back|follow\s+up|write\s+again)\b[^.!?\n]{0,40}?\b(?:every|within|in|by|at|before|no\s+later\s+than)\s+(?:the\s+(?:hour|next\s+\w+)|an?\s+hour|half\s+an\s+hour|\d|one|two|three|four|five|ten|fifteen|twenty|thirty|forty|forty-five|sixty|ninety|noon|midnight)/iu,
  /\bnext\s+update\b[^.!?\n]{0,30}?(?:\d|hour|noon|midnight)/iu,
  /\bevery\s+(?:\d+|one|two|thirty|fifteen|twenty|sixty|ninety)\s*(?:-\s*\d+\s*)?(?:min(?:ute)?s?|h(?:ou)?rs?)\b|\bevery\s+(?:half[\s-]+)?hour\b/iu,
];
