/**
 * What the state machines pass to and get from each Lambda. Ids only: names, addresses and tokens are
 * looked up inside the Lambdas (the console shows every payload).
 */
export type Severity = 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4';
export type Phase = 'initial' | 'update' | 'resolution';
export type IncidentEventType =
  'resolved' | 'severity_changed' | 'engineering_update' | 'reopened' | 'cmoc_update';

/** The small state the incident execution carries between steps. */
export interface IncidentState {
  incidentId: string;
  severity: Severity;
  /** Seconds until the next update is due (or until the wait should re-check). */
  waitSeconds: number;
  /** False for severities updated only at start and close. */
  updatesOnCadence: boolean;
  event?: DeliveredEvent;
}

/** What a parked wait receives through SendTaskSuccess. */
export interface DeliveredEvent {
  type: IncidentEventType;
  eventId: string;
}

export interface LoadIncidentInput {
  incidentId: string;
  event?: DeliveredEvent;
}

export interface DraftUpdateInput {
  incidentId: string;
  phase: Phase;
  /** The round execution's name: the same round is drafted once however often the step retries. */
  roundKey: string;
}

export interface DraftUpdateOutput {
  incidentId: string;
  round: number;
  owners: string[];
  ownerTimeoutSeconds: number;
}

export interface AskOwnerInput {
  taskToken: string;
  incidentId: string;
  round: number;
  ownerId: string;
}

export type OwnerDecision = 'send' | 'sent_myself' | 'cant';

/** What a button press hands back to the waiting "Ask the account owner to send" task. */
export interface OwnerAnswer {
  decision: OwnerDecision;
  /** The person who pressed (owner or, later, a backup): the update is signed by them. */
  senderId: string;
}

export interface DeliverUpdateInput {
  incidentId: string;
  round: number;
  ownerId: string;
  senderId: string;
  mode: 'send' | 'record_only';
}

export interface DeliverUpdateOutput {
  sent: number;
  alreadySent: number;
  failed: number;
}

export interface ParkInput {
  taskToken: string;
  incidentId: string;
}

export type CmocNoticeKind =
  | 'round_summary'
  | 'owner_timed_out'
  | 'owner_declined'
  | 'owner_unreachable'
  | 'delivery_failed'
  | 'workflow_failed'
  | 'closed';

export interface NotifyCmocInput {
  incidentId: string;
  kind: CmocNoticeKind;
  round?: number;
  ownerId?: string;
  error?: string;
}
