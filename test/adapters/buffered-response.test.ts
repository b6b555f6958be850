import { describe, expect, it } from 'vitest';
import { BufferedResponse } from '../../lambdas/adapters/buffered-response.ts';

/**
 * The Slack client's answers (lambdas/adapters/buffered-response.ts) read as Node's own Response reads the
 * same bytes: every case is run against both, so the two cannot drift apart unnoticed.
 */
const json = JSON.stringify({ ok: true, channel: 'C1', text: 'café ☕' });
const headers = () =>
  new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': 'chat:write' });

type Make = (bytes: Buffer | null, status?: number) => Response;
const makers: [string, Make][] = [
  [
    'BufferedResponse',
    (bytes, status = 200) =>
      new BufferedResponse(bytes, {
        status,
        statusText: 'OK',
        headers: headers(),
        url: 'http://slack.test/api/x',
      }),
  ],
  [
    'Node Response',
    (bytes, status = 200) => new Response(bytes, { status, statusText: 'OK', headers: headers() }),
  ],
];

describe.each(makers)('%s', (_name, make) => {
  it('reads the body as text, JSON and bytes', async () => {
    expect(await make(Buffer.from(json)).text()).toBe(json);
    expect(await make(Buffer.from(json)).json()).toEqual({ ok: true, channel: 'C1', text: 'café ☕' });
    expect(Buffer.from(await make(Buffer.from(json)).arrayBuffer()).toString('utf8')).toBe(json);
    expect(await (await make(Buffer.from(json)).blob()).text()).toBe(json);
  });

  it('drops a leading byte-order mark from text', async () => {
    expect(
      await make(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ok":true}')])).json(),
    ).toEqual({
      ok: true,
    });
  });

  it('carries status, ok, statusText and headers', () => {
    const response = make(Buffer.from(json), 429);
    expect([response.status, response.ok, response.statusText]).toEqual([429, false, 'OK']);
    expect(make(Buffer.from(json)).ok).toBe(true);
    expect(response.headers.get('X-OAuth-Scopes')).toBe('chat:write');
    expect(Object.fromEntries(response.headers.entries())).toMatchObject({ 'x-oauth-scopes': 'chat:write' });
  });

  it('reads the body once: bodyUsed, then a TypeError', async () => {
    const response = make(Buffer.from(json));
    expect(response.bodyUsed).toBe(false);
    await response.text();
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
  });

  it('clones an unread body, each copy read on its own', async () => {
    const response = make(Buffer.from(json));
    const copy = response.clone();
    expect(await response.text()).toBe(json);
    expect(await copy.text()).toBe(json);
    expect(copy.status).toBe(200);
  });

  it('streams the body to whoever asks for the stream, and then counts it as read', async () => {
    const response = make(Buffer.from(json));
    const body = response.body;
    expect(body).not.toBeNull();
    expect(response.body).toBe(body);
    expect(await new Response(body).text()).toBe(json);
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('has no body when there is none', async () => {
    const response = make(null, 204);
    expect(response.body).toBeNull();
    expect(await response.text()).toBe('');
  });

  it('reads a form body as form data', async () => {
    const form = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
    const response =
      make === makers[0]![1]
        ? new BufferedResponse(Buffer.from('a=1&b=two'), {
            status: 200,
            statusText: 'OK',
            headers: form,
            url: '',
          })
        : new Response('a=1&b=two', { headers: form });
    const data = await response.formData();
    expect([data.get('a'), data.get('b')]).toEqual(['1', 'two']);
  });
});
