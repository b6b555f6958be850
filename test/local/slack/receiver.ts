import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  payload: Record<string, unknown>;
}

/**
 * A stand-in for the app's /slack/interactions: verifies Slack's v0 signature the way the product must
 * (recompute the HMAC over the raw body, constant-time compare, 5-minute window) and keeps what it got.
 */
export async function startReceiver(
  signingSecret: string,
  reply: (payload: Record<string, unknown>) => { status: number; body: string } = () => ({
    status: 200,
    body: '',
  }),
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-slack-request-timestamp'] ?? '');
      const signature = String(req.headers['x-slack-signature'] ?? '');
      const expected = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      const valid =
        signature.length === expected.length &&
        timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      if (!fresh || !valid) {
        res.writeHead(401).end('bad signature');
        return;
      }
      const payload = JSON.parse(new URLSearchParams(rawBody).get('payload') ?? 'null') as Record<
        string,
        unknown
      >;
      received.push({ headers: req.headers, rawBody, payload });
      const answer = reply(payload);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/interactions`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
