import { findIncident, listIncidents, type IncidentRecord } from '../adapters/incidents.ts';
import { json, type HttpEvent, type HttpResult } from '../adapters/http.ts';
import { logOf } from '../adapters/notification-log.ts';

/** The parked task token is an operational secret: it never leaves the table. */
function publicView(incident: IncidentRecord): Omit<IncidentRecord, 'waitToken'> {
  const { waitToken: _token, ...rest } = incident;
  return rest;
}

export const handler = async (event: HttpEvent): Promise<HttpResult> => {
  const method = event.requestContext.http.method;
  if (method !== 'GET') return json(405, { error: `${method} is not supported; use GET` });
  const id = event.pathParameters?.id;
  if (id === undefined) {
    const limitText = event.queryStringParameters?.limit;
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      return json(400, { error: 'query parameter "limit" must be a whole number from 1 to 200' });
    }
    const incidents = await listIncidents(limit);
    return json(200, { incidents: incidents.map(publicView) });
  }
  const incident = await findIncident(id);
  if (!incident) return json(404, { error: `incident ${id} not found` });
  return json(200, { incident: publicView(incident), notifications: await logOf(id) });
};
