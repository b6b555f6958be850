import { randomBytes } from 'node:crypto';
import { apiError } from './errors.ts';
import type { PendingTask } from './types.ts';

export type CallbackOutcome =
  | { kind: 'success'; output: unknown }
  | { kind: 'failure'; error: string; cause: string }
  | { kind: 'timeout' }
  | { kind: 'heartbeatTimeout' }
  | { kind: 'aborted' };

interface LiveTask {
  task: PendingTask;
  deliver: (outcome: CallbackOutcome) => void;
  heartbeat: () => void;
}

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{1,2048}$/;

/**
 * Task tokens of .waitForTaskToken tasks. A token is random (not derived from anything an outsider could
 * know); once its task has finished — answered, timed out, failed, or its execution stopped — every later
 * SendTask* call gets TaskTimedOut, as in AWS.
 */
export class TaskTokens {
  private readonly live = new Map<string, LiveTask>();
  private readonly finished = new Set<string>();

  mint(): string {
    return randomBytes(48).toString('base64url');
  }

  register(task: PendingTask, deliver: LiveTask['deliver'], heartbeat: LiveTask['heartbeat']): void {
    this.live.set(task.taskToken, { task, deliver, heartbeat });
  }

  /** The task no longer waits (whatever the reason); its token now answers TaskTimedOut. */
  finish(token: string): void {
    if (this.live.delete(token)) this.finished.add(token);
  }

  succeed(token: unknown, output: unknown): void {
    const live = this.lookup(token);
    let parsed: unknown;
    try {
      if (typeof output !== 'string') throw new Error('output is not a string');
      parsed = JSON.parse(output);
    } catch {
      throw apiError('InvalidOutput', 'Invalid Output: the output must be a JSON text');
    }
    this.finish(live.task.taskToken);
    live.deliver({ kind: 'success', output: parsed });
  }

  fail(token: unknown, error: unknown, cause: unknown): void {
    const live = this.lookup(token);
    this.finish(live.task.taskToken);
    live.deliver({
      kind: 'failure',
      error: typeof error === 'string' ? error : '',
      cause: typeof cause === 'string' ? cause : '',
    });
  }

  heartbeat(token: unknown): void {
    this.lookup(token).heartbeat();
  }

  pending(executionArn?: string): PendingTask[] {
    return [...this.live.values()]
      .map((live) => live.task)
      .filter((task) => executionArn === undefined || task.executionArn === executionArn);
  }

  private lookup(token: unknown): LiveTask {
    if (typeof token !== 'string' || !TOKEN_FORMAT.test(token)) {
      throw apiError('InvalidToken', 'Invalid token');
    }
    const live = this.live.get(token);
    if (live) return live;
    if (this.finished.has(token))
      throw apiError('TaskTimedOut', 'Task Timed Out: the task is no longer waiting');
    throw apiError('InvalidToken', 'Invalid token');
  }
}
