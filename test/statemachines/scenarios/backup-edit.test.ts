import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../local/driver.ts';
import { declare, type Declared, postsTo, scenarioRoster, WEDNESDAY } from '../../support/scenarios.ts';
import { hasButton, press, slackIdOf } from '../../support/slack.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * A backup covering an owner can edit the draft like the owner can: the modal opens on the update drafted
 * under the backup's name, and what they write is what the customer gets, signed by them.
 */
let world: World;

beforeAll(async () => {
  world = await startWorld({ roster: scenarioRoster(), timeScale: 60 });
});
afterAll(async () => {
  await world?.close();
});

const name = (personId: string) => world.runtime.roster.people.find((p) => p.id === personId)!.name;

const values = (text: string) => ({
  draft: { text: { type: 'plain_text_input', value: text } },
  confirm: { anyway: { type: 'checkboxes', selected_options: [] } },
});

async function editModalFor(personId: string) {
  const userId = slackIdOf(world, personId);
  return waitFor(`an open edit modal for ${personId}`, () =>
    world.slack
      .views()
      .reverse()
      .find((v) => v.userId === userId && !v.closed && v.view.callback_id === 'owner:edit'),
  );
}

describe('a backup edits the draft', () => {
  it('opens on the draft signed by the backup, and sends their text to the owner’s accounts under their name', async () => {
    const incident: Declared = await declare(world, {
      incidentId: 'QBACKEDIT',
      severity: 'SEV2',
      scenario: 'sends',
      at: WEDNESDAY.americasMorning,
      cmocId: 'carla',
    });
    await press(world, 'carla', incident, 'cmoc:start');
    await press(world, 'amy', incident, 'owner:cant');
    // 10:00 in New York: the Americas backup is on shift.
    const dm = await press(world, 'andre', incident, 'owner:edit');
    expect(dm.text).toContain(name('amy'));

    const modal = await editModalFor('andre');
    const prefilled = JSON.stringify(modal.view);
    expect(prefilled).toContain(name('andre').split(' ')[0]);
    expect(prefilled).not.toContain(`— ${name('amy').split(' ')[0]}`);

    const text =
      'Dashboards are loading slowly for you since 10:00; I know this gets in the way and we are on it. ' +
      `Next update in an hour.\n\n— ${name('andre')}`;
    const out = await world.slack.submitView({
      viewId: modal.id,
      userId: slackIdOf(world, 'andre'),
      values: values(text),
    });
    expect(out.status).toBe(200);
    expect(out.body).toBe('');

    const post = await waitFor(
      'the edited update in sends-co',
      () => postsTo(world, 'sends-co').find((m) => (m.text ?? '').includes('Dashboards are loading slowly')),
      30_000,
    );
    expect(post.username).toBe(name('andre'));
    // Exactly one customer post for the round: the edit, not the draft as well.
    const shown = await waitFor('the backup DM to show the edit', () =>
      world.slack.messages({ channel: dm.channel }).find((m) => m.ts === dm.ts && m.edits > 0),
    );
    expect(hasButton(shown, 'owner:send')).toBe(false);
    expect(JSON.stringify(shown.blocks)).toContain(
      `edited the draft and sent it to ${name('amy')}'s accounts`,
    );
    expect(postsTo(world, 'sends-co')).toHaveLength(1);
  });
});
