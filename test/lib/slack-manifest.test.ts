import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../lambdas/contract/functions.ts';
import { ROOT } from './synth.ts';

const manifest = readFileSync(path.join(ROOT, 'slack-app-manifest.yaml'), 'utf8');
const urls = [...manifest.matchAll(/^\s*(request_url|url):\s*(\S+)\s*$/gm)].map(
  (m) => [m[1], m[2]!] as const,
);
const bulletScopes = (): string[] => {
  const block = /^ {4}bot:\n((?: {6}.*\n)+)/m.exec(manifest)?.[1] ?? '';
  return [...block.matchAll(/^ {6}- ([a-z.:_]+)\s*$/gm)].map((m) => m[1]!);
};
const routesOf = (dir: string): readonly string[] =>
  FUNCTIONS.flatMap((f): readonly string[] => (f.name === dir && 'routes' in f ? f.routes : []));

describe('Slack app manifest', () => {
  it('points interactivity, /comms and the Events API at the stack routes', () => {
    const pathOf = (url: string) => new URL(url.replace('<api-id>', 'x').replace('<region>', 'y')).pathname;
    expect(urls).toHaveLength(3);
    const [interactivity, events] = urls.filter(([key]) => key === 'request_url').map(([, url]) => url);
    const command = urls.find(([key]) => key === 'url')![1];
    expect(routesOf('slack-interactions')).toContain(`POST ${pathOf(interactivity!)}`);
    expect(routesOf('slack-events')).toContain(`POST ${pathOf(events!)}`);
    expect(routesOf('slack-commands')).toContain(`POST ${pathOf(command)}`);
    for (const [, url] of urls)
      expect(url).toMatch(/^https:\/\/<api-id>\.execute-api\.<region>\.amazonaws\.com\//);
  });

  it('asks for the bot scopes the handlers use, and not chat:write.public', () => {
    const scopes = bulletScopes();
    expect(scopes).toEqual(
      expect.arrayContaining(['chat:write', 'chat:write.customize', 'im:write', 'users:read', 'commands']),
    );
    expect(scopes).not.toContain('chat:write.public');
    expect(scopes).toEqual(expect.arrayContaining(['channels:manage', 'channels:read', 'pins:write']));
    expect(manifest).toMatch(/command: \/comms/);
  });

  it('enables the Home tab and subscribes to app_home_opened', () => {
    expect(manifest).toMatch(/^ {4}home_tab_enabled: true$/m);
    expect(manifest).toMatch(/^ {4}bot_events:\n {6}- app_home_opened$/m);
  });

  it("hears customers' messages in public and private channels, with the scopes those events need", () => {
    const events = [
      ...(/^ {4}bot_events:\n((?: {6}- .*\n)+)/m.exec(manifest)?.[1] ?? '').matchAll(/- (\S+)/g),
    ].map((m) => m[1]);
    expect(events).toEqual(['app_home_opened', 'message.channels', 'message.groups']);
    expect(bulletScopes()).toEqual(expect.arrayContaining(['channels:history', 'groups:history']));
  });
});
