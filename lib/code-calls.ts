/**
 * The AWS API calls a function's code makes, read from its source: every file under lambdas/ reachable
 * by a (non-type) import from its handler, and each `new <Name>Command(` in them. The stack grants
 * exactly these actions (lib/constructs/function-access.ts), so a call added to an adapter is granted to
 * the functions that reach it, and a grant nobody calls is never made. A command this table does not
 * know fails the synth: its IAM action must be named here first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LAMBDAS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'lambdas');

/** SDK command → IAM action (lib-dynamodb's document commands are the DynamoDB operations they wrap). */
export const COMMAND_ACTIONS: Readonly<Record<string, string>> = {
  GetCommand: 'dynamodb:GetItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  ScanCommand: 'dynamodb:Scan',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  BatchWriteCommand: 'dynamodb:BatchWriteItem',
  StartExecutionCommand: 'states:StartExecution',
  DescribeExecutionCommand: 'states:DescribeExecution',
  RedriveExecutionCommand: 'states:RedriveExecution',
  SendTaskSuccessCommand: 'states:SendTaskSuccess',
  SendTaskFailureCommand: 'states:SendTaskFailure',
  SendTaskHeartbeatCommand: 'states:SendTaskHeartbeat',
  SendEmailCommand: 'ses:SendEmail',
  InvokeCommand: 'lambda:InvokeFunction',
};

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'(\.{1,2}\/[^']+\.ts)'/gm;
const COMMAND = /\bnew\s+([A-Z][A-Za-z0-9]*Command)\s*\(/g;

/** Files reachable from lambdas/<handler>/handler.ts, relative to lambdas/. */
export function sourcesOf(handler: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      if (match[1]) continue; // `import type` brings no code
      visit(path.resolve(path.dirname(file), match[2] as string));
    }
  };
  visit(path.join(LAMBDAS, handler, 'handler.ts'));
  return [...seen].map((file) => path.relative(LAMBDAS, file)).sort();
}

/** The IAM actions of every SDK command the handler's code can construct. */
export function awsCallsOf(handler: string): Set<string> {
  const actions = new Set<string>();
  for (const file of sourcesOf(handler)) {
    const text = readFileSync(path.join(LAMBDAS, file), 'utf8');
    for (const [, command] of text.matchAll(COMMAND)) {
      const action = COMMAND_ACTIONS[command as string];
      if (!action) {
        throw new Error(
          `lambdas/${file} calls ${command}, which lib/code-calls.ts does not map to an IAM action`,
        );
      }
      actions.add(action);
    }
  }
  return actions;
}
