import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS } from '../../lib/access.ts';
import type { FunctionAccess } from '../../lib/access.ts';
import { readConfig } from '../../lib/config.ts';
import { TEST_CONFIG, synthStack } from './synth.ts';
import type { Synthesized } from './synth.ts';
import { resources } from './template-helpers.ts';

/**
 * The callback URL Twilio posts delivery receipts to is a deploy-time setting, not a reference to the API
 * (the API depends on the functions that read it): given to exactly the functions holding the Twilio
 * secret when set, to none when not, and the stack outputs the value to set.
 */
const PREFIX = TEST_CONFIG.stackName;
const envOf = ({ template }: Synthesized, dir: string): Record<string, unknown> => {
  const [, fn] = resources(template, 'AWS::Lambda::Function').find(
    ([, r]) => r.Properties?.FunctionName === `${PREFIX}-${dir}`,
  )!;
  return (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
};
const twilioHolders = Object.entries(ACCESS)
  .filter(([, a]) => (a as FunctionAccess).secrets.includes('TWILIO'))
  .map(([dir]) => dir);

let configured: Synthesized;
let unset: Synthesized;
beforeAll(() => {
  configured = synthStack({ bundle: false });
  unset = synthStack({ bundle: false, context: { twilioStatusCallbackUrl: '' } });
});

describe('twilioStatusCallbackUrl', () => {
  it('takes an https URL from context or TWILIO_STATUS_CALLBACK_URL, and refuses anything else', () => {
    const url = 'https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/twilio/status';
    const from = (context: Record<string, unknown>, env: Record<string, string> = {}) =>
      readConfig({ context: (key) => context[key], env });
    expect(from({ twilioStatusCallbackUrl: url }).twilioStatusCallbackUrl).toBe(url);
    expect(from({}, { TWILIO_STATUS_CALLBACK_URL: url }).twilioStatusCallbackUrl).toBe(url);
    expect(from({ twilioStatusCallbackUrl: '' })).not.toHaveProperty('twilioStatusCallbackUrl');
    for (const bad of ['http://127.0.0.1:3000/webhooks/twilio/status', 'webhooks/twilio/status'])
      expect(() => from({ twilioStatusCallbackUrl: bad })).toThrow(
        /twilioStatusCallbackUrl .* not an https URL/,
      );
  });

  it('is given to the functions holding the Twilio secret — the SMS sender and the receipt route', () => {
    expect(twilioHolders).toEqual(expect.arrayContaining(['deliver-update', 'twilio-status']));
    for (const dir of Object.keys(ACCESS)) {
      const expected = twilioHolders.includes(dir) ? TEST_CONFIG.twilioStatusCallbackUrl : undefined;
      expect(envOf(configured, dir).TWILIO_STATUS_CALLBACK_URL, dir).toBe(expected);
    }
  });

  it('is given to no function when not set (no receipts are asked for)', () => {
    for (const dir of Object.keys(ACCESS))
      expect(envOf(unset, dir), dir).not.toHaveProperty('TWILIO_STATUS_CALLBACK_URL');
  });

  it('outputs the value to set: the receipt route on the stack’s API', () => {
    const outputs = configured.template.findOutputs('TwilioStatusCallbackUrl');
    expect(JSON.stringify(outputs)).toContain('webhooks/twilio/status');
  });
});
