import { describe, expect, it } from 'vitest';
import {
  plainText,
  QUOTE_MAX_CHARS,
  replyMessage,
  replyQuote,
} from '../../lambdas/messages/customer-reply.ts';

/** A customer's words forwarded as they wrote them: readable, quoted, bounded, never pinging anyone. */
describe('plainText', () => {
  it("turns Slack's event markup back into what the customer wrote", () => {
    expect(plainText('see <https://x.example/a|our dashboard> and <https://x.example/b>')).toBe(
      'see our dashboard (https://x.example/a) and https://x.example/b',
    );
    expect(plainText('<!here> <!channel> <!subteam^S012|@oncall> ping <@U0ABC|sam>')).toBe(
      '@here @channel @oncall ping @sam',
    );
    expect(plainText('in <#C0ABC|general>: 5 &lt; 6 &amp;&amp; 7 &gt; 2')).toBe(
      'in #general: 5 < 6 && 7 > 2',
    );
  });
});

describe('replyQuote', () => {
  it('escapes and quotes every line', () => {
    expect(replyQuote('a < b\n<@U1> & co')).toBe('>a &lt; b\n>&lt;@U1&gt; &amp; co');
  });

  it('keeps a dozen lines and a few hundred characters, saying something was left out', () => {
    const long = replyQuote(Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n'));
    expect(long.split('\n')).toHaveLength(13);
    expect(long.endsWith('>…')).toBe(true);
    const wide = replyQuote('&'.repeat(1000));
    expect(wide.length).toBeLessThanOrEqual(QUOTE_MAX_CHARS);
    expect(wide).toMatch(/(&amp;)+…$/);
  });

  it('says so when there are no words (a file on its own)', () => {
    expect(replyQuote('  ')).toContain('no text');
  });
});

describe('replyMessage', () => {
  const notice = {
    accountName: 'Acme <Rockets>',
    userId: 'U0CUST001',
    text: 'When is the next update?',
    about: {
      kind: 'incident' as const,
      incidentId: 'Q1',
      severity: 'SEV2' as const,
      title: 'Exports slow',
      round: 2,
    },
    permalink: 'https://slack.example/archives/C1/p1',
  };

  it('names the account and the update, quotes the reply and links it, for the sender or the team', () => {
    const mine = replyMessage({ ...notice, audience: 'sender' });
    expect(mine.text).toBe('Acme <Rockets> replied to your update');
    const shown = JSON.stringify(mine.blocks);
    expect(shown).toContain(
      '*Acme &lt;Rockets&gt;* replied to your update on *SEV2 · Exports slow* (Q1, update 2)',
    );
    expect(shown).toContain('>When is the next update?');
    expect(shown).toContain('<https://slack.example/archives/C1/p1|Open the reply in Slack>');
    const team = replyMessage({
      ...notice,
      audience: 'engagement',
      about: { kind: 'broadcast', broadcastId: 'b-9' },
    });
    expect(team.text).toBe("Acme <Rockets> replied to the company's update");
    expect(JSON.stringify(team.blocks)).toContain('the company broadcast b-9');
  });

  it('without a link still says where to answer', () => {
    const { permalink: _p, ...rest } = notice;
    expect(JSON.stringify(replyMessage({ ...rest, audience: 'sender' }).blocks)).toContain(
      'Open their channel',
    );
  });
});
