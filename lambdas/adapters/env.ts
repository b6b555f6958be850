/**
 * Environment, read once and validated. Every name here is the same in AWS and locally (docs/architecture.md, "Contracts"); the
 * local runtime differs only by the endpoint variables it sets.
 */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`Environment variable ${name} is not set`);
  }
  return value;
}

export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

export const tableName = (): string => requireEnv('TABLE_NAME');
export const incidentStateMachineArn = (): string => requireEnv('STATE_MACHINE_ARN');
