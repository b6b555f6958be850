/**
 * Names of the environment variables the stack gives a function for what its ACCESS entry lists. Pure
 * (no aws-cdk-lib), so tests can compute the same names.
 */
import type { MachineName } from './access.ts';

/**
 * The variable holding the ARN of a machine the function starts: `STATE_MACHINE_ARN` for the incident
 * machine (the name lambdas/adapters/env.ts reads; it was the only one for a long time), otherwise
 * `<NAME>_STATE_MACHINE_ARN`, e.g. `BROADCAST_STATE_MACHINE_ARN`.
 */
export function machineArnVariable(name: MachineName): string {
  if (name === 'incident') return 'STATE_MACHINE_ARN';
  return `${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_STATE_MACHINE_ARN`;
}

/**
 * What a function holding the Twilio secret is given when configured: the URL SMS are sent with as their
 * StatusCallback, which is also the URL the receipts' signatures are checked against.
 */
export const TWILIO_VARIABLES = { statusCallbackUrl: 'TWILIO_STATUS_CALLBACK_URL' } as const;

/** What a `sendsEmail` function is given: the sender always, the configuration set when configured. */
export const EMAIL_VARIABLES = {
  from: 'SES_FROM_ADDRESS',
  configurationSet: 'SES_CONFIGURATION_SET',
} as const;
