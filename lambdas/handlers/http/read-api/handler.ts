import { listBroadcasts } from '../../../adapters/broadcasts.ts';
import { findIncident, listIncidents } from '../../../adapters/incidents.ts';
import type { IncidentRecord } from '../../../domain/records/incident.ts';
import { json, type HttpEvent, type HttpResult } from '../../../adapters/http.ts';
import { logOf } from '../../../adapters/notification-log.ts';
import { accountNotifications, broadcastView, incidentNotifications } from './notifications.ts';
import { incidentRetrospective } from './retrospective.ts';
import { lambdaHandler } from '../../../adapters/lambda-handler.ts';

/** The parked task token is an operational secret: it never leaves the table. */
function publicView(incident: IncidentRecord): Omit<IncidentRecord, 'waitToken'> {
  const { waitToken: _token, ...rest } = incident;
  return rest;
}

function limitOf(event: HttpEvent): number | HttpResult {
  const limitText = event.queryStringParameters?.limit;
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    return json(400, { error: 'query parameter "limit" must be a whole number from 1 to 200' });
  }
  return limit;
}

/** Read-only views for operators (IAM-signed in AWS): incidents, the notification log, broadcasts. */
export const handler = lambdaHandler(async (event: HttpEvent): Promise<HttpResult> => {
  const method = event.requestContext.http.method;
  if (method !== 'GET') return json(405, { error: `${method} is not supported; use GET` });
  const id = event.pathParameters?.id;
  switch (event.routeKey) {
    case 'GET /api/incidents/{id}/notifications':
      return incidentNotifications(event, id ?? '');
    case 'GET /api/incidents/{id}/retrospective':
      return incidentRetrospective(event, id ?? '');
    case 'GET /api/accounts/{id}/notifications':
      return accountNotifications(event, id ?? '');
    case 'GET /api/broadcasts/{id}':
      return broadcastView(event, id ?? '');
    case 'GET /api/broadcasts': {
      const limit = limitOf(event);
      return typeof limit === 'number' ? json(200, { broadcasts: await listBroadcasts(limit) }) : limit;
    }
  }
  if (id === undefined) {
    const limit = limitOf(event);
    if (typeof limit !== 'number') return limit;
    const incidents = await listIncidents(limit);
    return json(200, { incidents: incidents.map(publicView) });
  }
  const incident = await findIncident(id);
  if (!incident) return json(404, { error: `incident ${id} not found` });
  return json(200, { incident: publicView(incident), notifications: await logOf(id) });
});
