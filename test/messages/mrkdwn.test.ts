import { describe, expect, it } from 'vitest';
import { mrkdwnSections, SECTION_TEXT_LIMIT } from '../../lambdas/domain/slack-sections.ts';
import { clip, quoted, someNames } from '../../lambdas/messages/mrkdwn.ts';

describe('fitting texts into Slack sections', () => {
  it('lists every name that fits, then counts the rest', () => {
    expect(someNames(['Acme', 'Globex'], 100)).toBe('Acme, Globex');
    const names = Array.from({ length: 60 }, (_, i) => `Account ${String(i).padStart(2, '0')}`);
    const some = someNames(names, 200);
    expect(some.length).toBeLessThanOrEqual(200);
    const shown = some.split(', ').length;
    expect(some).toMatch(new RegExp(`Account ${String(shown - 1).padStart(2, '0')} and ${60 - shown} more$`));
    expect(someNames(['x'.repeat(50)], 10)).toBe('1 account');
  });

  it('clips and quotes within the limit, never inside an escape', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab &amp; cd', 6)).toBe('ab …');
    const q = quoted('a\n'.repeat(2000));
    expect(q.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    expect(q.startsWith('>a\n>a')).toBe(true);
  });

  it('splits a paragraph over the limit at a space, and gives no section for an empty one', () => {
    const long = 'word '.repeat(1000).trim();
    const sections = mrkdwnSections([long, '', 'short']);
    expect(sections.map((s) => s.text.text.length).every((n) => n <= SECTION_TEXT_LIMIT)).toBe(true);
    expect(
      sections
        .map((s) => s.text.text)
        .slice(0, -1)
        .join(' '),
    ).toBe(long);
    expect(sections.at(-1)?.text.text).toBe('short');
    const escaped = `${'x'.repeat(2998)}&amp;y`;
    expect(mrkdwnSections([escaped]).map((s) => s.text.text)).toEqual(['x'.repeat(2998), '&amp;y']);
  });
});
