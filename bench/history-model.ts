import type { StateVisit } from '../local/stepfunctions/types.ts';

/**
 * AWS's execution-history size and billed state transitions, modelled from the states an execution
 * visited (docs/architecture.md, "Counting history events"). The local interpreter's own log is not AWS's history, so budgets are checked on
 * this model. Per visit:
 *
 *   execution                      2  (ExecutionStarted, ExecutionSucceeded|Failed|…)
 *   Pass, Choice, Wait, Succeed    2  (…StateEntered, …StateExited)
 *   Fail                           1  (FailStateEntered; the execution's end is counted above)
 *   Lambda task                    5  (TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded|Failed, TaskStateExited)
 *   callback (.waitForTaskToken)   6  (adds TaskSubmitted; TaskTimedOut replaces TaskSucceeded)
 *   startExecution.sync            6  (TaskSubmitted as for a callback)
 *   startExecution                 5  (like a Lambda task)
 *   each retry attempt            +3  (TaskScheduled, TaskStarted and its outcome again)
 *   Map, Parallel                  4  (…Entered, …Started, …Succeeded, …Exited) + 2 per iteration/branch
 *
 * A task that fails and is caught is counted with its exit event too: the model errs on the high side.
 * A child execution's events are in the child's history, so a startExecution task counts only its own.
 * Transitions (billing, $0.025 per 1,000): one per state entered, retries included.
 */
export interface HistoryModel {
  events: number;
  transitions: number;
}

const EXECUTION_EVENTS = 2;
const RETRY_EVENTS = 3;

export function eventsOfVisit(visit: StateVisit): number {
  switch (visit.type) {
    case 'Pass':
    case 'Choice':
    case 'Wait':
    case 'Succeed':
      return 2;
    case 'Fail':
      return 1;
    case 'Map':
      return 4 + 2 * (visit.iterations ?? 0);
    case 'Parallel':
      return 4 + 2 * (visit.branches ?? 0);
    case 'Task':
      return taskEvents(visit) + RETRY_EVENTS * visit.retries;
  }
}

function taskEvents(visit: StateVisit): number {
  switch (visit.taskKind) {
    case 'callback':
    case 'startExecutionSync':
      return 6;
    case 'wait':
      return 2;
    default:
      return 5;
  }
}

/** The model for one execution's visits (from `engine.visitedStates(arn)`). */
export function modelHistory(visits: readonly StateVisit[]): HistoryModel {
  let events = EXECUTION_EVENTS;
  let transitions = 0;
  for (const visit of visits) {
    events += eventsOfVisit(visit);
    transitions += 1 + visit.retries;
  }
  return { events, transitions };
}
