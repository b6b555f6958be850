import type { ToneRule } from './tone-rules.ts';

/**
 * Status-speak past the handbook's "Avoid" column: shouting, not knowing without a plan, internal names,
 * promises nobody can keep. Same shape as the handbook's rules (patterns over plain text, one suggested
 * rewrite each), so every place that shows tone findings shows these too. Blame on suppliers by name lives
 * with the handbook's Ownership rule (tone-rules.ts), which reads PROVIDERS from here.
 */

/** Suppliers a customer may hear us blame. Matched case-insensitively as whole words. */
export const PROVIDERS =
  '(?:aws|amazon(?:\\s+web\\s+services)?|google\\s+cloud|gcp|azure|microsoft|cloudflare|fastly|akamai|heroku|vercel|netlify|digitalocean|stripe|twilio|sendgrid|mailgun|okta|auth0|github|gitlab|datadog|mongodb\\s+atlas|snowflake)';

/**
 * All-caps words that are not shouting. Only words of five letters or more need listing: shorter caps
 * words count as shouting only when they are common English (SHOUTED below), so SSO, API, EU or SAML pass.
 */
const ACRONYMS = [
  'HTTPS',
  'OAUTH',
  'HIPAA',
  'FINRA',
  'CNAME',
  'DMARC',
  'ASCII',
  'NASDAQ',
  'FEDRAMP',
  'GRAPHQL',
  'SCORM',
  'LATAM',
  'LDAPS',
  'ICANN',
];
const SHOUTED = [
  ...['WE', 'NO', 'DO', 'BE', 'IS', 'ARE', 'THE', 'AND', 'BUT', 'NOT', 'ALL', 'NOW', 'YOU', 'YOUR', 'OUR'],
  ...['ANY', 'OFF', 'OUT', 'FIX', 'NEW', 'BIG', 'CAN', 'HAS', 'WAS', 'WILL', 'MUST', 'DOWN', 'BACK', 'LOST'],
  ...['SAFE', 'HELP', 'READ', 'NOTE', 'ONLY', 'VERY', 'ASAP', 'HUGE', 'FULL', 'LIVE', 'STOP', 'KNOW', 'SOON'],
  ...['THIS', 'THAT', 'WITH', 'HAVE', 'BEEN', 'WERE', 'WHAT', 'WHEN', 'JUST', 'NEED', 'SLOW', 'DEAD', 'FAIL'],
  ...["DON'T", "CAN'T", "WON'T", "ISN'T", "AREN'T"],
];
// Caps words are read case-sensitively (no i flag) and bounded by letters and digits rather than \b, so
// SEV1, 4XX and the capital letters in "Ada" or a PagerDuty id are not words of their own.
const EDGE_BEFORE = "(?<![\\p{L}\\p{N}'])";
const EDGE_AFTER = "(?![\\p{L}\\p{N}'])";
const SHOUTY = `${EDGE_BEFORE}(?:(?!(?:${ACRONYMS.join('|')})${EDGE_AFTER})\\p{Lu}{5,}|(?:${SHOUTED.join('|')}))${EDGE_AFTER}`;
const CAPS = `${EDGE_BEFORE}\\p{Lu}[\\p{Lu}\\p{N}']+${EDGE_AFTER}`;

/** Saying what we are doing about it: any of these in the message answers "we don't know why". */
const DOING: readonly RegExp[] = [
  /\b(?:we|i)(?:'re|'m|\s+are|\s+am)\s+(?:now\s+|currently\s+|still\s+|actively\s+|also\s+)?(?!experiencing\b|seeing\b|having\b|getting\b)\p{L}+ing\b/iu,
  /\b(?:we|i)(?:'ll|\s+will)\s+(?!not\b|never\b|know\b|let\s+you\s+know\b|update\b)\p{L}+/iu,
  /\b(?:we|i)(?:'ve|\s+have)\s+(?:already\s+|just\s+)?(?:started|begun|rolled|paused|moved|switched|disabled|added|restarted|called|escalated)\b/iu,
  /\b(?:our|the)\s+(?:[\p{L}-]+\s+){0,2}(?:team|engineers?|on-call|people)\s+(?:is|are)\s+(?:now\s+)?\p{L}+ing\b/iu,
  /\b(?:meanwhile|in\s+the\s+meantime|next\s+step|workaround)\b/iu,
];

const FIXED =
  '(?:fixed|resolved|restored|repaired|sorted|working(?:\\s+again)?|back(?:\\s+(?:up|online|to\\s+normal))?|up\\s+and\\s+running)';
const EXACT_TIME =
  '(?:(?:about|around|roughly)\\s+)?(?:\\d{1,2}[:.]\\d{2}|\\d{1,2}\\s*(?:am|pm)|\\d+\\s*(?:-\\s*\\d+\\s*)?(?:min(?:ute)?s?|hours?|hrs?|h)\\b|noon|midnight|(?:one|two|five|ten|fifteen|twenty|thirty)\\s+(?:min(?:ute)?s?|hours?)|an?\\s+hour|half\\s+an\\s+hour|the\\s+hour|the\\s+end\\s+of\\s+(?:the\\s+)?day|tonight|tomorrow)';
const BY = '\\s+(?:by|at|before|in|within)\\s+';

export const WIDER_TONE_RULES: readonly ToneRule[] = [
  {
    id: 'shouting',
    principle: 'Human-centric',
    why: 'capitals and "!!" read as alarm; calm words carry the urgency',
    suggestion: 'Logins are failing for everyone. We’re rolling back the change that caused it.',
    patterns: [
      // A run of caps words with at least one shouted in it, quoted as one stretch ("DO NOT LOG IN").
      new RegExp(`(?:${CAPS}[ \\t]+)*${SHOUTY}(?:[ \\t]+${CAPS})*`, 'gu'),
      /(?=[!?]*!)[!?]{2,}/gu,
    ],
  },
  {
    id: 'unknown-without-plan',
    principle: 'Ownership',
    why: 'not knowing is fine to say, but say what we are doing meanwhile',
    suggestion:
      'We haven’t found the cause yet. We’re rolling back today’s change and will update you by 15:30 UTC.',
    patterns: [
      /\b(?:we|i)\s+(?:still\s+)?(?:don't|do\s+not|didn't|did\s+not)\s+(?:yet\s+)?know(?:\s+(?:why|what|how|when|where|the\s+(?:cause|reason)|yet))?\b/giu,
      /\b(?:we|i)(?:\s+have|\s+had|'ve)\s+no\s+(?:idea|explanation|clue)\b|\bno\s+idea\s+(?:why|what|how)\b/giu,
      /\b(?:we're|we\s+are|i'm|i\s+am)\s+(?:still\s+)?(?:not\s+sure|unsure|uncertain)\b/giu,
      /\b(?:(?:an?|the)\s+)?(?:unknown|unexplained|unidentified)\s+(?:root\s+)?(?:causes?|reasons?|issues?|errors?|problems?|failures?)\b/giu,
      /\b(?:root\s+)?(?:cause|reason)\s+(?:is|remains|was)\s+(?:still\s+|currently\s+)?(?:unknown|unclear|a\s+mystery|not\s+(?:yet\s+)?known)\b/giu,
      /\b(?:it's|it\s+is)\s+(?:still\s+)?(?:unclear|not\s+clear)\s+(?:why|what|how|when)\b/giu,
      /\bfor\s+(?:some\s+|an\s+)?unknown\s+reasons?\b/giu,
    ],
    unless: DOING,
  },
  {
    id: 'internal-names',
    principle: 'Plain English',
    why: 'an internal name or engineering term the customer cannot read; say what they will notice',
    suggestion: 'Reports for some accounts are loading slowly.',
    patterns: [
      // Hostnames: a private domain, an environment in the name (db-prod-3, prod-eu-1), a machine name.
      /\b(?:[a-z0-9-]+\.)+(?:internal|local|lan|corp|intranet|intra|svc|priv|private)\b/giu,
      /\b(?:[a-z0-9]+-)*(?:prod|preprod|stg|staging|canary)(?:-[a-z0-9]+)+\b|\b(?:[a-z0-9]+-)+(?:prod|stg|staging)\b/giu,
      /\b(?:db|pg|postgres|mysql|redis|kafka|es|mongo|rabbit|mq|worker|node|kube|ip|host|srv|vm|lb|bastion)-[a-z0-9-]*\d[a-z0-9-]*\b/giu,
      /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/gu,
      // Internal ticket ids (a customer cannot open INC-1234).
      /\b(?:INC|JIRA|OPS|SRE|ENG|INFRA|PLAT|SEC|PD)-\d+\b/gu,
      /\b(?:k8s|kubernetes|kubectl|pods?|oom(?:[\s-]?killed)?|shards?|sharding|resharding|[45]xx|segfaults?|deadlocks?|sidecars?|autoscal(?:er|ing)|mttr|slos?|slis?|rca)\b/giu,
      /\b(?:replica(?:tion)?|consumer)\s+lag\b|\brace\s+condition\b|\bcrash\s*loop(?:ing|\s*back\s*off)?\b|\bnode\s+pools?\b|\bconnection\s+pool(?:\s+exhaustion)?\b|\bgc\s+pauses?\b|\bcron\s*jobs?\b|\bhot\s+partitions?\b/giu,
    ],
  },
  {
    id: 'overpromise',
    principle: 'Direct',
    why: 'a promise nobody can keep; say what you know and when you will update',
    suggestion: 'We expect the fix to be out this afternoon; next update by 15:30 UTC either way.',
    patterns: [
      /(?<!\b(?:can't|cannot|can\s+not|won't|not|no|don't)\s+)\bguarantee(?:d|s)?\b/giu,
      /\b100\s?(?:%|percent\b)/giu,
      /\b(?:will|won't|shall|can't|cannot|will\s+not)\s+(?:never\s+)?(?:happen|occur|recur)\s+again\b|\bnever\s+(?:happens?|occurs?|recurs?)\s+again\b|\bnever\s+again\b/giu,
      /\bzero\s+(?:downtime|risk|chance)\b/giu,
      // An exact fix time, said of the future ("fixed at 14:05" in a resolution is a fact). An exact time
      // for the next update is what the cadence asks for, so only fixes count. "We'll be back in 10 minutes"
      // is about the next update, not the service.
      new RegExp(
        `(?<!\\b(?:we|i)\\s)(?<!\\b(?:we|i))\\b(?:will|should|'ll|going\\s+to|to)\\s+be\\s+(?:fully\\s+|completely\\s+)?${FIXED}${BY}${EXACT_TIME}`,
        'giu',
      ),
      // "Fixed by 14:05" as a plan; "it was (fully) fixed by 14:05" is a report.
      new RegExp(
        `(?<!\\b(?:was|were|been|got|had|is|are|it's)\\s+(?:[\\p{L}]+\\s+)?)\\b(?:fixed|resolved|restored|repaired)\\s+by\\s+${EXACT_TIME}`,
        'giu',
      ),
      new RegExp(
        `\\b(?:a|the)\\s+fix\\s+(?:will|should)\\s+be\\s+(?:live|deployed|out|ready|in\\s+place|rolled\\s+out)${BY}${EXACT_TIME}`,
        'giu',
      ),
      new RegExp(
        `\\b(?:we|i)(?:'ll|\\s+will)\\s+(?:have\\s+(?:it|this|\\w+)\\s+)?(?:fix(?:ed)?|resolved?|restored?|solved?)\\s+(?:(?!and\\b|then\\b|update)[\\p{L}-]+\\s+){0,3}?(?:by|at|before|in|within)\\s+${EXACT_TIME}`,
        'giu',
      ),
    ],
  },
];
