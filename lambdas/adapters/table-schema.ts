/**
 * The one DynamoDB table's key schema. The CDK stack and the local runtime (dynalite) both create the
 * table from this, so a key rename cannot reach one and not the other.
 *
 * Access patterns (pk / sk):
 *   INCIDENT#<id> / META                      the incident (severity, status, title, cmoc, parked wait token)
 *   INCIDENT#<id> / EVENT#<eventId>           an event for the execution: pending → sent → consumed
 *   INCIDENT#<id> / ROUND#<nnnn>              a drafted update round (owners, accounts; never contact details)
 *   INCIDENT#<id> / ROUND#<nnnn>#OWNER#<id>   one owner's drafts (and their edit, if any)
 *   INCIDENT#<id> / ROUNDKEY#<execution>      which round a round execution drafted (idempotent drafting)
 *   INCIDENT#<id> / LOG#<nnnn>#<account>#<channel>#<recipient>   one notification: claimed, then sent/failed
 *   INCIDENT#<id> / LOG#<nnnn>#C<correction>#<account>#<channel>#<recipient>   one recipient's correction
 *   INCIDENT#<id> / CORRECTION#<nnnn>#<correction>   a correction of a sender's update: its text, who, when
 *   INCIDENT#<id> / REPLY#<account>#<message ts>   a customer's reply, forwarded (BROADCAST#<id> / REPLY#… for
 *                                             a broadcast about no incident)
 *   BROADCAST#<id> / META | BATCH#… | LOG#…   a company broadcast, its batches (each with the lease of the run
 *                                             sending it) and its per-channel log
 *   ACTION#<id>   / META                      a pending button: task token, who may press it, expiry (TTL)
 *   ASKS#<incident>#<nnnn>#<owner> / ACTION#<id>   the asks of one owner's round, to close their DMs (TTL)
 *   WEBHOOK#delivery:<id> | WEBHOOK#event:<id> / META   a seen PagerDuty delivery / event (dedup, TTL)
 *   IDCOUNTER#<S|M><yyyymmdd> / META          ids for incidents declared in Slack / maintenance windows
 *   SLACKCHANNEL#<channel> / META             the incident last declared in a Slack channel
 *   DECLARE#<sha256> / META                   a `/comms declare` seen in the last 10 minutes: hash of (roster
 *                                             person id, severity, normalised title, services) → incidentId
 *                                             (dedup of a repeated command, TTL)
 *   SMS#<Twilio message SID> / META           which log item an SMS belongs to (logPk, logSk), for its
 *                                             delivery receipts; written when the send returns (TTL 7 days)
 *   ROSTER        / META | PERSON#<id> | ACCOUNT#<id>   the imported roster
 * GSI1 (gsi1pk / gsi1sk):
 *   INCIDENTS / <startedAt>#<id>              incidents, newest first when read backwards
 *   BROADCASTS / <createdAt>#<id>             broadcasts
 *   ACCOUNT#<id> / <sentAt>#<incident>        the notification log by account across incidents
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [{ indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
} as const;
