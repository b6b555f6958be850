import { json, type HttpEvent, type HttpResult } from '../../../adapters/http.ts';
import { findIncident } from '../../../adapters/incidents.ts';
import { currentRoster } from '../../../adapters/roster.ts';
import { retrospectiveFor } from '../../../services/retrospective.ts';
import { retroCsv, retroMarkdown } from './retrospective-formats.ts';

const FORMATS = ['json', 'csv', 'md'] as const;
type Format = (typeof FORMATS)[number];

const isFormat = (value: string): value is Format => (FORMATS as readonly string[]).includes(value);

/** GET /api/incidents/{id}/retrospective[?format=json|csv|md] — the incident's comms record. */
export async function incidentRetrospective(event: HttpEvent, incidentId: string): Promise<HttpResult> {
  const asked = event.queryStringParameters?.format;
  const format = asked === undefined || asked === '' ? 'json' : asked;
  // Checked before any read: a wrong format is the caller's mistake, whatever the incident.
  if (!isFormat(format))
    return json(400, { error: `query parameter "format" must be one of ${FORMATS.join(', ')}` });
  const incident = await findIncident(incidentId);
  if (!incident) return json(404, { error: `incident ${incidentId} not found` });
  const roster = await currentRoster();
  const retro = await retrospectiveFor(incident, roster);
  if (format === 'json') return json(200, { retrospective: retro });
  const file = `retrospective-${incidentId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const [type, body, ext] =
    format === 'csv'
      ? ['text/csv', retroCsv(retro, roster), 'csv']
      : ['text/markdown', retroMarkdown(retro, roster), 'md'];
  return {
    statusCode: 200,
    headers: {
      'content-type': `${type}; charset=utf-8`,
      'content-disposition': `attachment; filename="${file}.${ext}"`,
    },
    body,
  };
}
