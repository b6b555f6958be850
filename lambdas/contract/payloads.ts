import type { ChildNames } from './execution-names.ts';

/**
 * What the state machines pass to and get from each Lambda, and every value a Choice state compares
 * against, as `as const` arrays (the contract test checks the ASL against them). Ids only: names, addresses
 * and tokens are looked up inside the Lambdas (the console shows every payload).
 */

/**
 * A level of the company's severity ladder, by name (`SEV1`). The ladder is policy, not code (the handbook's
 * four by default, domain/severity.ts); no state compares against a level, so the machines follow any ladder.
 */
export type Severity = string;

/** Every kind of update round, from the first message to the write-up. */
export const PHASES = [
  'initial',
  'update',
  'resolution',
  'maintenance-heads-up',
  'maintenance-complete',
  'postmortem',
] as const;
export type Phase = (typeof PHASES)[number];

export const INCIDENT_EVENT_TYPES = [
  'resolved',
  'severity_changed',
  'engineering_update',
  'reopened',
  'cmoc_update',
] as const;
export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

/** What an incident's execution (and its write-up follow-up) starts with: everything else is in the record. */
export interface IncidentExecutionInput {
  incidentId: string;
}

/** What a parked wait receives through SendTaskSuccess. */
export interface DeliveredEvent {
  type: IncidentEventType;
  eventId: string;
}

/**
 * Where an incident's execution is: waiting for the CMOC to confirm customer impact, sending updates,
 * announcing planned maintenance, or (after a SEV1's resolution) waiting for the write-up.
 */
export const STAGES = ['awaiting_cmoc', 'active', 'maintenance', 'postmortem', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

/** What the parked wait's timeout means: the thing that is due when it fires. */
export const DUES = [
  'start',
  'remind_cmoc',
  'update',
  'handoff',
  'heads_up',
  'completion',
  'remind_lead',
  'writeup_overdue',
  'writeup_given_up',
  'recheck',
] as const;
export type Due = (typeof DUES)[number];

/** What an event calls for, decided when the workflow reads it. */
export const EVENT_ACTS = [
  'start',
  'update',
  'resolve',
  'complete',
  'severity',
  'engineering',
  'close',
  'writeup',
  'wait',
  'stop',
] as const;
export type EventAct = (typeof EVENT_ACTS)[number];

/**
 * The workflow's schedule, carried at `$.next`: the stage, what is due next and in how many seconds
 * (the parked wait's TimeoutSecondsPath), and after an event what it calls for. The state machines add
 * `key` (a fresh `States.UUID()` each time `$.next` is written): what the step after it does is done once
 * under that key however often the step is retried or tried again (docs/architecture.md, "Retries").
 */
export interface NextStep {
  stage: Stage;
  due: Due;
  waitSeconds: number;
  act: EventAct;
}

/**
 * What the schedule step returns at `$.next`: the schedule and the names of the executions the step after it
 * may start (contract/execution-names.ts), built here so the state machines only copy them into `Name.$`.
 */
export interface ScheduledStep extends NextStep {
  names: ChildNames;
  /** The schedule in words for the console's reader (domain/schedule-words.ts); nothing branches on it. */
  inWords: string;
}

/** The one Lambda that reads the incident and works out the schedule, in four situations. */
export type ScheduleInput =
  | { mode: 'start'; incidentId: string }
  | { mode: 'event'; incidentId: string; stage: Stage; event: DeliveredEvent }
  | { mode: 'next'; incidentId: string; stage: Stage; phase?: Phase }
  | { mode: 'postmortem'; incidentId: string };

/** An update round (update-round.asl.json) and what it returns to the incident execution. */
export interface RoundInput {
  incidentId: string;
  phase: Phase;
  stage: Stage;
  /**
   * The round's identity, `$.next.key` of the incident when it started the round: a round started again
   * (a retried start, the CMOC's "Try again") is the same round, so nothing in it is sent twice.
   */
  roundKey: string;
}

export interface DraftUpdateInput {
  incidentId: string;
  phase: Phase;
  /**
   * The round execution's own input (`$$.Execution.Input`): its `roundKey` is the round's identity, so the
   * same round is drafted once however often it is started (RoundInput).
   */
  started: Partial<Pick<RoundInput, 'roundKey'>>;
  /**
   * The round execution's name: the identity of a round started by an incident execution from before rounds
   * carried a `roundKey` (a running execution keeps the definition it started with; its rounds run on the
   * new one). Without this fallback such an incident's next round would fail.
   */
  executionName: string;
  /** The incident execution's stage, handed back in the output for the round's last step. */
  stage: Stage;
}

export interface DraftUpdateOutput {
  incidentId: string;
  round: number;
  phase: Phase;
  owners: string[];
  ownerTimeoutSeconds: number;
  /** Owners in groups of at most 40: an inline Map runs at most 40 iterations at once. */
  ownerGroups: string[][];
  backupTimeoutSeconds: number;
  /** Whether the CMOC reviews this draft first, and for how long before it goes ahead anyway. */
  review: boolean;
  reviewSeconds: number;
  /** When neither owner nor backup sends: true = the CMOC sends as the company, false = the CMOC is alerted. */
  companySend: boolean;
  /** The CMOC at draft time: who reviews, and who signs a company send. */
  cmocId: string;
  stage: Stage;
}

export interface AskCmocInput {
  taskToken: string;
  incidentId: string;
  round: number;
}

/** What "Approve draft" hands back to the waiting review task. */
export interface ReviewAnswer {
  approved: true;
  by: string;
}

export interface TellOwnersInput {
  incidentId: string;
  /** The severity_changed event told: each person is told of it once, however often the step runs. */
  eventId: string;
}

export interface HandOverInput {
  incidentId: string;
  stage: Stage;
  /** `$.next.key`: the handoff it stands for is told once, however often the step runs. */
  key: string;
}

export const ASK_ROLES = ['owner', 'backup'] as const;
export type AskRole = (typeof ASK_ROLES)[number];

export interface AskOwnerInput {
  taskToken: string;
  incidentId: string;
  round: number;
  /** The account owner whose accounts this is about. */
  ownerId: string;
  /** Whom to ask: the owner (if available), or a regional backup working now. */
  role: AskRole;
}

export const OWNER_DECISIONS = ['send', 'sent_myself', 'cant'] as const;
export type OwnerDecision = (typeof OWNER_DECISIONS)[number];

/** What a button press hands back to the waiting "Ask the account owner to send" task. */
export interface OwnerAnswer {
  decision: OwnerDecision;
  /** The person who pressed (owner or, later, a backup): the update is signed by them. */
  senderId: string;
}

export const ASK_SKIPS = ['unavailable', 'no_backup', 'stale'] as const;
export type AskSkip = (typeof ASK_SKIPS)[number];

/**
 * How "Ask the account owner/regional backup to send" can end without a press: the ask-owner Lambda
 * completes its own task when there is nobody to ask (owner away or on PTO, no backup working now) or the
 * update went out of date (the incident resolved mid-round).
 */
export interface AskSkipped {
  decision: AskSkip;
  /** Said in the backup's DM, never put into the execution (a person's PTO is not the console's). */
  reason?: string;
}

export type AskOutcome = OwnerAnswer | AskSkipped;

export const SEND_MODES = ['send', 'record_only'] as const;
export type SendMode = (typeof SEND_MODES)[number];

export interface DeliverUpdateInput {
  incidentId: string;
  round: number;
  ownerId: string;
  senderId: string;
  mode: SendMode;
  /**
   * Post under the company's name instead of the sender's (the SEV1 fallback when no owner or backup
   * answers: the CMOC sends "as the company", handbook "Using Pylon for broadcasts"). Still signed by
   * the sender in the text.
   */
  asCompany: boolean;
}

export interface DeliverUpdateOutput {
  sent: number;
  alreadySent: number;
  failed: number;
  /** Nothing was sent: the incident resolved while the update waited (the round's Choice reads this). */
  outOfDate: boolean;
}

/** A company broadcast's execution (broadcast.asl.json): everything else is in its record. */
export interface BroadcastInput {
  broadcastId: string;
  /** For the closing step when the broadcast could not start: the error's name. */
  error?: string;
}

export interface PlanBroadcastOutput {
  broadcastId: string;
  /** Batch numbers, 0…n-1: the Map's items. */
  batches: number[];
}

export interface BroadcastBatchInput {
  broadcastId: string;
  batch: number;
}

export interface BroadcastBatchOutput {
  sent: number;
  failed: number;
}

export interface ParkInput {
  taskToken: string;
  incidentId: string;
}

export const CMOC_NOTICE_KINDS = [
  'round_summary',
  'owner_timed_out',
  'owner_declined',
  'closed',
  'confirm_impact',
  'impact_reminder',
  'engineering_update',
  'sent_as_company',
  'nobody_sent',
  'step_left_out',
  // Sent only by executions started on the definitions from before "When a step fails" (a running
  // execution keeps its definition, for up to its 14 days): they still tell the CMOC what they always did.
  'owner_unreachable',
  'delivery_failed',
  'review_unavailable',
  'workflow_failed',
  'postmortem_reminder',
  'postmortem_overdue',
  'postmortem_given_up',
  'writeup_sent',
] as const;
export type CmocNoticeKind = (typeof CMOC_NOTICE_KINDS)[number];

export interface NotifyCmocInput {
  incidentId: string;
  kind: CmocNoticeKind;
  round?: number;
  ownerId?: string;
  error?: string;
  /** The event a notice is about (engineering update): its button answers that event once. */
  eventId?: string;
  /**
   * `$.next.key` where the notice follows the schedule (a reminder comes again under a new key): with the
   * kind, round, owner and event it makes the notice one DM, however often the step runs.
   */
  key?: string;
  /** `step_left_out`: the step that failed past its retries, and Step Functions' cause (read, never shown). */
  step?: SkippableStep;
  cause?: string;
}

/**
 * Steps not worth stopping an incident for — notices, reminders, the CMOC's review, a handoff, a backup's
 * ask (the CMOC's fallback follows): past their retries the CMOC is told (`step_left_out`) and the workflow
 * goes on where their failure went before, without waiting for an answer.
 */
export const SKIPPABLE_STEPS = [
  // incident.asl.json
  'Ask the CMOC to confirm customer impact',
  'Remind the CMOC to confirm customer impact',
  "Hand over to the next region's CMOC",
  'Tell the owners the severity changed',
  'Tell the CMOC about the engineering update',
  // update-round.asl.json
  'Ask the CMOC to approve the draft',
  'Summarise the round for the CMOC',
  'Ask the regional backup to send',
  'Tell the CMOC it was sent as the company',
  'Tell the CMOC nobody could send',
  // postmortem.asl.json
  'Remind the engineering lead about the write-up',
  'Tell the CMOC the write-up is overdue',
  'Tell the CMOC the write-up follow-up has ended',
  'Tell the CMOC the write-up went out',
] as const;
export type SkippableStep = (typeof SKIPPABLE_STEPS)[number];

/**
 * The steps whose failure, once their retries are spent, is put to the CMOC — **Try again** or **Stop
 * comms** — instead of ending the incident's comms: the state names, which the DM shows and the Choice
 * after the decision routes back on (docs/architecture.md, "When a step fails").
 */
export const RECOVERABLE_STEPS = [
  // incident.asl.json
  'Load the incident',
  'Wait for the next update or an event',
  'Work out what the event changes',
  'Work out what is due',
  'Send the initial update',
  'Send the scheduled update',
  'Send the resolution update',
  'Start the write-up follow-up',
  'Send the maintenance heads-up',
  'Send the maintenance completion notice',
  'Tell the CMOC the incident is closed',
  // update-round.asl.json
  'Draft the update',
  'Ask the account owner to send',
  "Send to the owner's accounts",
  'Record that it was sent by hand',
  'Send as the company',
  'Work out when the next update is due',
  // postmortem.asl.json ("Work out what the event changes" is there too)
  'Work out when the write-up is due',
  'Wait for the write-up link',
  'Send the write-up to every affected customer',
] as const;
export type RecoverableStep = (typeof RECOVERABLE_STEPS)[number];

export const RECOVERY_DECISIONS = ['retry', 'stop'] as const;
export type RecoveryDecision = (typeof RECOVERY_DECISIONS)[number];

/** "Ask the CMOC: try again or stop comms": the failed step, as the Catch and the Pass naming it left it. */
export interface AskRecoveryInput {
  mode: 'ask';
  taskToken: string;
  incidentId: string;
  step: RecoverableStep;
  /** The error's name (States.TaskFailed, a handler's error class, …). */
  error: string;
  /** Step Functions' cause: read inside the Lambda for a short, safe message, never shown as it is. */
  cause: string;
  /** Inside a round: which round, and the owner whose accounts the failed step was for. */
  round?: number;
  ownerId?: string;
}

/**
 * After "Stop comms": records that the incident's comms were stopped, by whom and on which step. Without
 * them (comms were stopped inside a round) it reads who stopped them, for the execution's output.
 */
export interface StopCommsInput {
  mode: 'stop';
  incidentId: string;
  step?: RecoverableStep;
  by?: string;
}

export type RecoveryInput = AskRecoveryInput | StopCommsInput;

/**
 * What the CMOC's press hands back to the waiting ask. The Choice after it routes Try again on the step the
 * Pass before the ask named (`$.failure.step`), back to that very state.
 */
export interface RecoveryAnswer {
  decision: RecoveryDecision;
  /** The CMOC who pressed (a roster person id). */
  by: string;
}

/** The ask's own result (it parks), or the stop's: the execution's output when comms are stopped. */
export interface RecoveryOutput {
  incidentId: string;
  actionId?: string;
  stoppedBy?: string;
  stoppedAt?: string;
  step?: string;
}
