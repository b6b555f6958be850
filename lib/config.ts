/**
 * Deployment configuration. Each setting comes from CDK context (`-c key=value`, or cdk.json) first,
 * then from an environment variable, then from its default; `npx cdk synth` works with none set.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export interface AppConfig {
  /** CloudFormation stack name; also prefixes function, state machine and alarm names. */
  readonly stackName: string;
  /** Names the company in the stack's description; the messages take the company from the roster. */
  readonly companyName: string;
  readonly logRetention: RetentionDays;
  /** Where alarm notifications go; no SNS topic is created without it. */
  readonly alarmEmail?: string;
  /**
   * The address customer email is sent from (under the sender's name), verified in SES. Defaults to
   * SES_FROM_PLACEHOLDER so the stack synthesizes; SES refuses to send from it, and the synth warns.
   */
  readonly sesFromAddress: string;
  /** SES configuration set every customer email is sent with (event publishing); none without it. */
  readonly sesConfigurationSet?: string;
  /**
   * Where Twilio posts SMS delivery receipts: the stack's `<ApiUrl>webhooks/twilio/status` (its
   * TwilioStatusCallbackUrl output) or the same route on a custom domain. A setting rather than a reference
   * to the API, because the API depends on the functions that would read it. No receipts without it.
   */
  readonly twilioStatusCallbackUrl?: string;
  /**
   * Whether the front doors get their reserved concurrency (lib/concurrency.ts). Off only for an account
   * whose Lambda concurrency limit is too low to reserve anything (new accounts can start at 10).
   */
  readonly reservedConcurrency: boolean;
}

/** Stands in for the sending address until one is configured; no SES account can verify it. */
export const SES_FROM_PLACEHOLDER = 'incidents@example.com';

export const CONFIG_KEYS = {
  stackName: { context: 'stackName', env: 'STACK_NAME', fallback: 'IncidentComms' },
  companyName: { context: 'companyName', env: 'COMPANY_NAME', fallback: 'Example Corp' },
  logRetentionDays: { context: 'logRetentionDays', env: 'LOG_RETENTION_DAYS', fallback: '90' },
  alarmEmail: { context: 'alarmEmail', env: 'ALARM_EMAIL', fallback: undefined },
  // The same names the functions read, so one variable configures a deploy and a local run alike.
  sesFromAddress: { context: 'sesFromAddress', env: 'SES_FROM_ADDRESS', fallback: SES_FROM_PLACEHOLDER },
  sesConfigurationSet: { context: 'sesConfigurationSet', env: 'SES_CONFIGURATION_SET', fallback: undefined },
  twilioStatusCallbackUrl: {
    context: 'twilioStatusCallbackUrl',
    env: 'TWILIO_STATUS_CALLBACK_URL',
    fallback: undefined,
  },
  reservedConcurrency: { context: 'reservedConcurrency', env: 'RESERVED_CONCURRENCY', fallback: 'on' },
} as const;

type Source = { context: (key: string) => unknown; env: Readonly<Record<string, string | undefined>> };

function setting(source: Source, key: keyof typeof CONFIG_KEYS): string | undefined {
  const { context, env, fallback } = CONFIG_KEYS[key];
  // `-c key=value` arrives as a string, cdk.json values as JSON (numbers for logRetentionDays).
  const fromContext = source.context(context);
  if (typeof fromContext === 'string' || typeof fromContext === 'number') {
    const value = String(fromContext).trim();
    if (value !== '') return value;
  }
  const fromEnv = source.env[env]?.trim();
  return fromEnv ? fromEnv : fallback;
}

/** Function names are `<stack>-<dir>` and must stay within Lambda's 64 characters. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,39}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** SES configuration set names: letters, digits, underscores and hyphens, at most 64. */
const CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;
const RETENTIONS = new Set(Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'));

export function readConfig(source: Source): AppConfig {
  const stackName = setting(source, 'stackName') ?? CONFIG_KEYS.stackName.fallback;
  if (!STACK_NAME.test(stackName)) {
    throw new Error(`stackName "${stackName}": use 1-40 letters, digits or hyphens, starting with a letter`);
  }
  const days = Number(setting(source, 'logRetentionDays'));
  if (!RETENTIONS.has(days)) {
    const allowed = [...RETENTIONS].filter((d) => d > 0).sort((a, b) => a - b);
    throw new Error(`logRetentionDays must be one of CloudWatch's values: ${allowed.join(', ')}`);
  }
  const alarmEmail = setting(source, 'alarmEmail');
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new Error(`alarmEmail "${alarmEmail}" is not an email address`);
  }
  const sesFromAddress = setting(source, 'sesFromAddress') ?? SES_FROM_PLACEHOLDER;
  if (!EMAIL.test(sesFromAddress)) {
    throw new Error(`sesFromAddress "${sesFromAddress}" is not an email address`);
  }
  const sesConfigurationSet = setting(source, 'sesConfigurationSet');
  if (sesConfigurationSet !== undefined && !CONFIGURATION_SET.test(sesConfigurationSet)) {
    throw new Error(
      `sesConfigurationSet "${sesConfigurationSet}": use 1-64 letters, digits, underscores or hyphens`,
    );
  }
  const twilioStatusCallbackUrl = setting(source, 'twilioStatusCallbackUrl');
  if (twilioStatusCallbackUrl !== undefined && !isHttpsUrl(twilioStatusCallbackUrl)) {
    throw new Error(
      `twilioStatusCallbackUrl "${twilioStatusCallbackUrl}" is not an https URL (e.g. <ApiUrl>webhooks/twilio/status)`,
    );
  }
  const reserved = setting(source, 'reservedConcurrency') ?? 'on';
  if (reserved !== 'on' && reserved !== 'off') {
    throw new Error(`reservedConcurrency "${reserved}": use on or off`);
  }
  return {
    stackName,
    companyName: setting(source, 'companyName') ?? CONFIG_KEYS.companyName.fallback,
    logRetention: days,
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    sesFromAddress,
    ...(sesConfigurationSet !== undefined ? { sesConfigurationSet } : {}),
    ...(twilioStatusCallbackUrl !== undefined ? { twilioStatusCallbackUrl } : {}),
    reservedConcurrency: reserved === 'on',
  };
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
