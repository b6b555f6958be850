/**
 * The one DynamoDB table's key schema. The CDK stack and the local runtime (dynalite) both create the
 * table from this, so a key rename cannot reach one and not the other.
 *
 * Access patterns (pk / sk):
 *   INCIDENT#<id> / META                      the incident (severity, status, title, cmoc, parked wait token)
 *   INCIDENT#<id> / EVENT#<receivedAt>#<id>   an event waiting for the execution's next park
 *   INCIDENT#<id> / ROUND#<nnn>               a drafted update round (texts per account, never contact details)
 *   INCIDENT#<id> / LOG#<nnn>#<account>#<channel>#<recipient>   one notification: claimed, then sent/failed
 *   ACTION#<id>   / META                      a pending button: task token, who may press it, expiry (TTL)
 *   WEBHOOK#<id>  / META                      a seen webhook delivery (dedup, TTL)
 *   ROSTER        / <kind>#<id>               the imported roster (company, person, account, region, ...)
 * GSI1 (gsi1pk / gsi1sk):
 *   INCIDENTS / <startedAt>#<id>              incidents, newest last
 *   ACCOUNT#<id> / <sentAt>#<incident>        the notification log by account across incidents
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [{ indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
} as const;
