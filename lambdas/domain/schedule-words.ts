import type { Due, EventAct, NextStep, Stage } from '../contract/payloads.ts';
import { durationText } from './wording.ts';

/**
 * The schedule in words, for whoever reads an execution's state output in the console: `$.next` carries
 * codes the Choice states compare against (contract/payloads.ts, kept stable for running executions: see
 * docs/architecture.md, "Names that stay"), and beside them this sentence.
 */
const STAGE: Record<Stage, string> = {
  awaiting_cmoc: 'Waiting for the CMOC to confirm customer impact',
  active: 'Customers are being kept informed',
  maintenance: 'Planned maintenance is being announced',
  postmortem: 'The incident is resolved; waiting for the write-up',
  closed: 'Comms are closed',
};

const ACT: Record<EventAct, string | undefined> = {
  start: 'comms start, so the initial update goes out now',
  update: 'an update goes out now',
  resolve: 'the incident is resolved, so the resolution update goes out now',
  complete: 'the maintenance is over, so the completion notice goes out now',
  severity: 'the severity changed, so the owners are told now',
  engineering: 'an engineering update came in, so the CMOC is told now',
  close: 'nothing more is sent and the incident closes now',
  writeup: 'the write-up link came in, so it goes to every affected customer now',
  wait: undefined,
  stop: 'the CMOC stopped comms, so nothing more is sent',
};

const DUE: Record<Due, string> = {
  start: 'comms start',
  remind_cmoc: 'the CMOC is reminded to confirm customer impact',
  update: 'the next update is due',
  handoff: 'the CMOC hands over to the next region',
  heads_up: 'the maintenance heads-up is due',
  completion: 'the maintenance completion notice is due',
  remind_lead: 'the engineering lead is reminded about the write-up',
  writeup_overdue: 'the CMOC is told the write-up is overdue (48 hours after the resolution)',
  writeup_given_up: 'the write-up follow-up ends without the write-up, and the CMOC is told',
  recheck: 'the schedule is checked again',
};

/** "Customers are being kept informed: the next update is due in 30 min." */
export function scheduleInWords(step: NextStep): string {
  const act = ACT[step.act];
  if (act) return `${STAGE[step.stage]}: ${act}.`;
  if (step.stage === 'closed') return `${STAGE.closed}.`;
  return `${STAGE[step.stage]}: ${DUE[step.due]} in ${durationText(step.waitSeconds * 1000)}.`;
}
