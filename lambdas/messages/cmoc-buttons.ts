import type { ActionsBlock, Button, PlainTextOption } from '@slack/types';

/**
 * The CMOC's buttons. Like the owners', each carries only an opaque action id; the action record says who
 * may press it. "Approve draft" completes a parked review task; the others become an event for the
 * incident's execution (a `cmoc_update`), so they reach it through the same hand-over as PagerDuty's.
 */
export const CMOC_BUTTONS = {
  start: 'cmoc:start',
  noImpact: 'cmoc:no_impact',
  approve: 'cmoc:approve',
  sendNow: 'cmoc:send_now',
} as const;

export type CmocButton = (typeof CMOC_BUTTONS)[keyof typeof CMOC_BUTTONS];

/** The CMOC's severity select; a select carries no value, so its action id rides in the block id. */
export const SEVERITY_SELECT = 'cmoc:severity';

/** `levels`: the company's ladder, most severe first (domain/ladder.ts levelNames). */
export function severityBlock(actionId: string, current: string, levels: readonly string[]): ActionsBlock {
  const option = (sev: string): PlainTextOption => ({ text: { type: 'plain_text', text: sev }, value: sev });
  return {
    type: 'actions',
    block_id: `cmoc-severity:${actionId}`,
    elements: [
      {
        type: 'static_select',
        action_id: SEVERITY_SELECT,
        placeholder: { type: 'plain_text', text: 'Change severity' },
        initial_option: option(current),
        options: levels.map(option),
      },
    ],
  };
}

const LABELS: Record<CmocButton, { text: string; style?: 'primary' | 'danger' }> = {
  [CMOC_BUTTONS.start]: { text: 'Start customer comms', style: 'primary' },
  [CMOC_BUTTONS.noImpact]: { text: 'No customer impact', style: 'danger' },
  [CMOC_BUTTONS.approve]: { text: 'Approve draft', style: 'primary' },
  [CMOC_BUTTONS.sendNow]: { text: 'Send an update now' },
};

export function buttonsBlock(actionId: string, buttons: CmocButton[]): ActionsBlock {
  return {
    type: 'actions',
    block_id: 'cmoc-decision',
    elements: buttons.map((id): Button => ({
      type: 'button',
      text: { type: 'plain_text', text: LABELS[id].text },
      action_id: id,
      value: actionId,
      ...(LABELS[id].style ? { style: LABELS[id].style } : {}),
    })),
  };
}
