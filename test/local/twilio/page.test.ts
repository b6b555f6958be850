import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../local/driver.ts';
import { startTwilioStandIn, type TwilioStandIn } from '../../../local/twilio/index.ts';

/** The Twilio stand-in's page: the texts sent, per number, with the status the carrier last reported. */
const ACCOUNT = `AC${'2'.repeat(32)}`;
const TOKEN = 'page-auth-token';
let stand: TwilioStandIn;

beforeAll(async () => {
  stand = await startTwilioStandIn({ accountSid: ACCOUNT, authToken: TOKEN, statusStepMs: 10 });
});
afterAll(() => stand.close());

async function send(to: string, body: string): Promise<void> {
  const response = await fetch(`${stand.url}/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}` },
    body: new URLSearchParams({ To: to, From: '+15005550006', Body: body }),
  });
  expect(response.status).toBe(201);
}

describe('the Twilio page', () => {
  it('lists each number’s texts with their delivery status, escaped, without credentials', async () => {
    stand.failDelivery('+447700900999', { status: 'undelivered', errorCode: 30003 });
    await send('+447700900123', 'Checkout is down <b>now</b>');
    await send('+447700900999', 'Unreachable handset');
    await waitFor('both texts to reach their final status', () =>
      stand.messages().every((m) => m.status === 'delivered' || m.status === 'undelivered')
        ? true
        : undefined,
    );
    const response = await fetch(`${stand.url}/`);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toMatch(/<h2>\+447700900123 <small>1 text<\/small><\/h2>.*status delivered">delivered</s);
    expect(html).toMatch(/<h2>\+447700900999 .*status undelivered">undelivered · error 30003</s);
    expect(html).toContain('Checkout is down &lt;b&gt;now&lt;/b&gt;');
    expect(html).not.toContain(TOKEN);
  });
});
