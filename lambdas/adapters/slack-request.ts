import { header, rawBodyBytes, type HttpEvent } from './http.ts';
import { secret } from './secrets.ts';
import { verifySlackSignature, type SlackVerification } from './signatures.ts';

/**
 * A request to one of the Slack routes, checked the way both routes must check it: the v0 signature over
 * the raw body with the signing secret, within Slack's 5-minute window. Returns the verified bytes.
 */
export async function verifiedSlackRequest(
  event: HttpEvent,
): Promise<{ verified: SlackVerification; bytes: Buffer }> {
  const bytes = rawBodyBytes(event);
  const verified = verifySlackSignature(
    bytes,
    { signature: header(event, 'x-slack-signature'), timestamp: header(event, 'x-slack-request-timestamp') },
    await secret('SLACK', 'SLACK_SIGNING_SECRET'),
  );
  return { verified, bytes };
}
