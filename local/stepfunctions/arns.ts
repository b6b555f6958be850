import { apiError } from './errors.ts';

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '000000000000';

export function stateMachineArn(
  name: string,
  region = DEFAULT_REGION,
  accountId = DEFAULT_ACCOUNT_ID,
): string {
  return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
}

export function executionArn(
  machineName: string,
  executionName: string,
  region = DEFAULT_REGION,
  accountId = DEFAULT_ACCOUNT_ID,
): string {
  return `arn:aws:states:${region}:${accountId}:execution:${machineName}:${executionName}`;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;

/** AWS answers InvalidArn for an ARN that is not one at all, and …DoesNotExist for a well-formed unknown one. */
export function checkStateMachineArn(arn: unknown): string {
  if (typeof arn !== 'string' || !STATE_MACHINE_ARN.test(arn)) {
    throw apiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
  }
  return arn;
}

export function checkExecutionArn(arn: unknown): string {
  if (typeof arn !== 'string' || !EXECUTION_ARN.test(arn)) {
    throw apiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
  }
  return arn;
}

// The brief's (and the console's safe) subset of what AWS accepts in a name.
const EXECUTION_NAME = /^[0-9A-Za-z_-]{1,80}$/;

export function checkExecutionName(name: unknown): string {
  if (typeof name !== 'string' || !EXECUTION_NAME.test(name)) {
    throw apiError(
      'InvalidName',
      `Invalid Name: '${String(name)}' (1-80 characters of 0-9, A-Z, a-z, - and _)`,
    );
  }
  return name;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → name; a plain name stays as it is. */
export function lambdaFunctionName(functionNameOrArn: string): string {
  const match = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(functionNameOrArn);
  return match?.[1] ?? functionNameOrArn;
}

export function lambdaFunctionArn(functionNameOrArn: string, region: string, accountId: string): string {
  if (functionNameOrArn.startsWith('arn:')) return functionNameOrArn;
  return `arn:aws:lambda:${region}:${accountId}:function:${functionNameOrArn}`;
}

export const isLambdaFunctionArn = (resource: string): boolean =>
  /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/.test(resource);
