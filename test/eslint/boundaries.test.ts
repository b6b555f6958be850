import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { violation } from '../../eslint/boundaries.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const at = (file: string) => path.join(ROOT, file);
const check = (from: string, to: string) => violation(at(from), at(to));

describe('the dependency rule of lambdas/', () => {
  it.each([
    ['lambdas/handlers/steps/deliver-update/handler.ts', 'lambdas/services/delivery/jobs.ts'],
    ['lambdas/handlers/steps/deliver-update/handler.ts', 'lambdas/handlers/steps/deliver-update/targets.ts'],
    ['lambdas/services/asks.ts', 'lambdas/messages/ask-to-send.ts'],
    ['lambdas/adapters/rounds.ts', 'lambdas/domain/records/round.ts'],
    ['lambdas/domain/plan.ts', 'lambdas/contract/payloads.ts'],
    ['lambdas/messages/cmoc-notice.ts', 'lambdas/domain/roster.ts'],
    ['local/lambdas.ts', 'lambdas/contract/functions.ts'],
  ])('lets %s import %s', (from, to) => expect(check(from, to)).toBeUndefined());

  it.each([
    ['lambdas/domain/plan.ts', 'lambdas/adapters/rounds.ts', /domain may not import lambdas\/adapters/],
    ['lambdas/contract/payloads.ts', 'lambdas/domain/severity.ts', /contract may not import/],
    ['lambdas/messages/cmoc-notice.ts', 'lambdas/adapters/slack.ts', /messages may not import/],
    ['lambdas/adapters/slack.ts', 'lambdas/services/asks.ts', /adapters may not import lambdas\/services/],
    [
      'lambdas/handlers/steps/ask-cmoc-review/handler.ts',
      'lambdas/handlers/steps/notify-cmoc/handler.ts',
      /may not import another handler/,
    ],
    ['lambdas/adapters/slack.ts', 'local/slack/index.ts', /must not import local\//],
    ['lambdas/domain/plan.ts', 'lambdas/loose.ts', /loose file/],
  ])('refuses %s importing %s', (from, to, message) => expect(check(from, to)).toMatch(message));

  it('is wired into lint for lambdas/', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const file = at('lambdas/domain/write-up.ts');
    const [result] = await eslint.lintText(`import '../adapters/rounds.ts';\nexport const x = 1;\n`, {
      filePath: file,
    });
    expect(result?.messages.map((m) => m.ruleId)).toContain('boundaries/layers');
  }, 60_000);
});
