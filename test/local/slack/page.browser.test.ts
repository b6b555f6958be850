import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_BOUND_MS } from '../../../local/driver.ts';
import { channelOf, declare, postsTo, scenarioRoster, WEDNESDAY } from '../../support/scenarios.ts';
import { slackIdOf } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * One incident run from the Slack stand-in's page alone, in Debian's Chromium: the CMOC starts customer
 * comms from their DM, the owner presses Edit, writes a text the tone check flags, sees the finding, sends
 * it anyway, and the customer's channel shows one message. Every step waits on what the page shows (a
 * locator's own bounded wait), and leaves a screenshot in test-artifacts/page/.
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve('test-artifacts', 'page');
const FLAGGED = 'We are experiencing technical difficulties with event ingestion since 10:00.';

let world: World;
let browser: Browser;
let page: Page;
let shot = 0;

async function screenshot(name: string): Promise<void> {
  shot += 1;
  await page.screenshot({
    path: path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
}

async function actAs(personId: string): Promise<void> {
  const userId = slackIdOf(world, personId);
  await page.locator('#act-as').selectOption(userId);
  await expect
    .poll(() => page.locator('#content').getAttribute('data-user'), { timeout: WAIT_BOUND_MS })
    .toBe(userId);
}

/** Waits (bounded) until nothing matches the locator any more. */
async function gone(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'detached', timeout: WAIT_BOUND_MS });
}

/** Waits (bounded) until the locator shows, then returns it. */
async function shown(locator: Locator): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout: WAIT_BOUND_MS });
  return locator;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The page's browser test drives Debian's Chromium at ${CHROMIUM}, which is not installed: run \`sudo apt-get install -y chromium\` (.ci/run does it on CI).`,
    );
  }
  await mkdir(SHOTS, { recursive: true });
  world = await startWorld({ roster: scenarioRoster(), timeScale: 1, warmLambdas: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

describe('the Slack page, in a browser', () => {
  it('runs an incident: start comms, edit, tone finding, send anyway, one customer message', async () => {
    // The page is open before the incident exists: what follows arrives without a reload.
    await page.goto(`${world.slack.url}/?as=${slackIdOf(world, 'carla')}`);
    await expect
      .poll(() => page.locator('body').getAttribute('data-live'), { timeout: WAIT_BOUND_MS })
      .toBe('yes');
    // Gone if the page ever reloads: everything below must reach it live.
    await page.evaluate("document.body.setAttribute('data-loaded-once', 'yes')");
    const incident = await declare(world, {
      incidentId: 'QPAGE1',
      severity: 'SEV2',
      scenario: 'sends',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });

    // The CMOC: their DM, first on the page, asks them to start comms.
    const cmocDm = page.locator(`section.im[data-channel="D${slackIdOf(world, 'carla')}"]`);
    const start = await shown(cmocDm.getByRole('button', { name: 'Start customer comms' }));
    expect(await page.locator('section.conversation').first().getAttribute('data-channel')).toBe(
      `D${slackIdOf(world, 'carla')}`,
    );
    expect(await cmocDm.innerText()).toContain(incident.title);
    expect(await cmocDm.locator('form.select select').count()).toBe(1);
    await screenshot('cmoc-asked');
    await start.click();
    await gone(cmocDm.getByRole('button', { name: 'Start customer comms' }));
    await screenshot('cmoc-started');

    // The owner: the ask arrives on the open page without a reload.
    await actAs('amy');
    const ownerDm = page.locator(`section.im[data-channel="D${slackIdOf(world, 'amy')}"]`);
    const edit = await shown(ownerDm.getByRole('button', { name: 'Edit', exact: true }));
    expect(await page.locator(`section.im[data-channel="D${slackIdOf(world, 'carla')}"]`).count()).toBe(0);
    await screenshot('owner-asked');
    await edit.click();

    const modal = page.locator('form.modal');
    const text = await shown(modal.locator('textarea'));
    await text.fill(`${FLAGGED}\n\nNext update by 11:00.\n\n— Amy`);
    await screenshot('owner-editing');
    await modal.locator('#modal-submit').click();
    await shown(modal.locator('.field-error', { hasText: 'Tone check' }));
    expect(await text.inputValue()).toContain(FLAGGED);
    await screenshot('tone-finding');

    await modal.getByLabel('Send it even if the tone check flags something').check();
    await modal.locator('#modal-submit').click();
    await gone(modal);
    await shown(ownerDm.getByText('edited the draft and sent it'));
    await screenshot('owner-sent');

    // The CMOC sees every account's channel: the customer's shows the edited update, once.
    await actAs('carla');
    const customer = page.locator(`section.channel[data-channel="${channelOf('sends-co')}"]`);
    await shown(customer.getByText('technical difficulties'));
    // The round's summary to the CMOC comes after every send of the round: nothing more is on its way.
    await shown(page.getByText('1 notified, 0 pending, 0 failed'));
    await screenshot('customer-channel');
    expect(await customer.locator('article.message').count()).toBe(1);
    expect(postsTo(world, 'sends-co')).toHaveLength(1);
    expect(await page.locator('body').getAttribute('data-loaded-once')).toBe('yes');
  });
});
