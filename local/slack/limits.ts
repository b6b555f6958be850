import type { AnyBlock, HomeView, ModalView } from '@slack/types';
import { SlackApiError } from './errors.ts';

/**
 * What Slack refuses in Block Kit, with Slack's own answers (docs/architecture.md, "Facts that bite"): a
 * message's blocks → `invalid_blocks`, a view → `invalid_arguments`, each with one
 * "… [json-pointer:/…]" line per problem (local/slack/errors.ts). Checked before anything
 * is stored, so a refused call changes nothing.
 */
export const BLOCK_KIT = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  selectOptions: 100,
  checkboxOptions: 10,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  inputLabel: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  privateMetadata: 3000,
  callbackId: 255,
  /** Longer message text is not refused: Slack keeps the first 40,000 characters. */
  messageText: 40_000,
} as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The problems found in one payload, as Slack words them. */
class Problems {
  readonly lines: string[] = [];
  add(pointer: string, what: string): void {
    this.lines.push(`${what} [json-pointer:${pointer}]`);
  }
  /** A string field of at most `max` characters (and at least one when `required`). */
  length(pointer: string, value: unknown, max: number, required = false): void {
    if (value === undefined && !required) return;
    if (typeof value !== 'string') return this.add(pointer, 'must be a string');
    if (value.length > max) this.add(pointer, `must be less than ${max + 1} characters`);
    else if (required && value.length === 0) this.add(pointer, 'must be more than 0 characters');
  }
  count(pointer: string, value: unknown, max: number): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.add(pointer, 'must provide an array');
      return [];
    }
    if (value.length > max) this.add(pointer, `no more than ${max} items allowed`);
    return value;
  }
  /** A text object: `plain_text` (or `mrkdwn` where allowed) whose text is 1–`max` characters. */
  text(pointer: string, value: unknown, max: number, plainOnly = false): void {
    if (value === undefined) return;
    if (!isObject(value)) return this.add(pointer, 'must provide an object');
    const kinds = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (!kinds.includes(String(value.type))) this.add(`${pointer}/type`, `must be ${kinds.join(' or ')}`);
    if (typeof value.text !== 'string') return this.add(`${pointer}/text`, 'must be a string');
    if (value.text.length > max) this.add(pointer, `must be less than ${max + 1} characters`);
    else if (value.text.length === 0) this.add(pointer, 'must be more than 0 characters');
  }
}

/** action_ids already used, per block and (in a view) across it. */
interface Seen {
  inBlock: Set<string>;
  inView?: Set<string>;
}

function element(p: Problems, at: string, el: unknown, seen: Seen): void {
  if (!isObject(el)) return p.add(at, 'must provide an object');
  if (typeof el.type !== 'string') return p.add(`${at}/type`, 'must be a string');
  if (el.type === 'plain_text' || el.type === 'mrkdwn' || el.type === 'image') return;
  if (el.action_id !== undefined) {
    p.length(`${at}/action_id`, el.action_id, BLOCK_KIT.actionId);
    const id = JSON.stringify(el.action_id);
    if (seen.inBlock.has(id) || seen.inView?.has(id))
      p.add(`${at}/action_id`, `action_id ${id} is already used`);
    seen.inBlock.add(id);
    seen.inView?.add(id);
  }
  p.text(`${at}/placeholder`, el.placeholder, BLOCK_KIT.placeholder, true);
  if (isObject(el.confirm)) {
    p.text(`${at}/confirm/title`, el.confirm.title, BLOCK_KIT.confirmTitle, true);
    p.text(`${at}/confirm/text`, el.confirm.text, BLOCK_KIT.confirmText);
    p.text(`${at}/confirm/confirm`, el.confirm.confirm, BLOCK_KIT.confirmButton, true);
    p.text(`${at}/confirm/deny`, el.confirm.deny, BLOCK_KIT.confirmButton, true);
  }
  switch (el.type) {
    case 'button':
      if (el.text === undefined) p.add(`${at}/text`, 'missing required field: text');
      p.text(`${at}/text`, el.text, BLOCK_KIT.buttonText, true);
      p.length(`${at}/value`, el.value, BLOCK_KIT.buttonValue);
      p.length(`${at}/url`, el.url, BLOCK_KIT.buttonUrl);
      return;
    case 'static_select':
    case 'multi_static_select':
      return options(p, at, el.options, BLOCK_KIT.selectOptions);
    case 'checkboxes':
    case 'radio_buttons':
      return options(p, at, el.options, BLOCK_KIT.checkboxOptions);
    case 'plain_text_input':
      if (typeof el.max_length === 'number' && el.max_length > BLOCK_KIT.sectionText)
        p.add(`${at}/max_length`, `must be at most ${BLOCK_KIT.sectionText}`);
      return;
  }
}

function options(p: Problems, at: string, list: unknown, max: number): void {
  p.count(`${at}/options`, list, max).forEach((option, i) => {
    if (!isObject(option)) return p.add(`${at}/options/${i}`, 'must provide an object');
    p.text(`${at}/options/${i}/text`, option.text, BLOCK_KIT.optionText);
    p.length(`${at}/options/${i}/value`, option.value, BLOCK_KIT.optionValue, true);
  });
}

function block(p: Problems, at: string, b: unknown, blockIds: Set<string>, inView?: Set<string>): void {
  if (!isObject(b)) return p.add(at, 'must provide an object');
  if (typeof b.type !== 'string') return p.add(`${at}/type`, 'must be a string');
  if (b.block_id !== undefined) {
    p.length(`${at}/block_id`, b.block_id, BLOCK_KIT.blockId);
    const id = JSON.stringify(b.block_id);
    if (blockIds.has(id)) p.add(`${at}/block_id`, `block_id ${id} is already used`);
    blockIds.add(id);
  }
  const seen: Seen = { inBlock: new Set(), ...(inView ? { inView } : {}) };
  switch (b.type) {
    case 'section':
      if (b.text === undefined && b.fields === undefined) p.add(at, 'must provide either text or fields');
      p.text(`${at}/text`, b.text, BLOCK_KIT.sectionText);
      p.count(`${at}/fields`, b.fields, BLOCK_KIT.sectionFields).forEach((f, i) =>
        p.text(`${at}/fields/${i}`, f, BLOCK_KIT.fieldText),
      );
      if (b.accessory !== undefined) element(p, `${at}/accessory`, b.accessory, seen);
      return;
    case 'header':
      if (b.text === undefined) p.add(`${at}/text`, 'missing required field: text');
      return p.text(`${at}/text`, b.text, BLOCK_KIT.headerText, true);
    case 'context':
      p.count(`${at}/elements`, b.elements, BLOCK_KIT.contextElements).forEach((el, i) =>
        element(p, `${at}/elements/${i}`, el, seen),
      );
      return;
    case 'actions':
      p.count(`${at}/elements`, b.elements, BLOCK_KIT.actionsElements).forEach((el, i) =>
        element(p, `${at}/elements/${i}`, el, seen),
      );
      return;
    case 'input':
      p.text(`${at}/label`, b.label, BLOCK_KIT.inputLabel, true);
      if (b.element !== undefined) element(p, `${at}/element`, b.element, seen);
      return;
  }
}

function blocksOf(p: Problems, at: string, value: unknown, max: number, view: boolean): AnyBlock[] {
  const list = p.count(at, value, max);
  const blockIds = new Set<string>();
  const inView = view ? new Set<string>() : undefined;
  list.forEach((b, i) => block(p, `${at}/${i}`, b, blockIds, inView));
  // Every entry was checked to be an object with a string `type`: what Slack's `Block` is at least.
  return list as AnyBlock[];
}

/**
 * A message's blocks (chat.postMessage, chat.update, chat.postEphemeral, a response_url reply):
 * undefined stays undefined; anything Slack would refuse throws `invalid_blocks`.
 */
export function checkMessageBlocks(blocks: unknown): AnyBlock[] | undefined {
  if (blocks === undefined) return undefined;
  const p = new Problems();
  const checked = blocksOf(p, '/blocks', blocks, BLOCK_KIT.messageBlocks, false);
  if (p.lines.length > 0) throw new SlackApiError('invalid_blocks', p.lines);
  return checked;
}

/**
 * A view for views.open / views.push / views.update (`modal`) or views.publish (`home`): anything Slack
 * would refuse throws `invalid_arguments`.
 */
export function checkView(view: unknown, kind: 'modal'): ModalView;
export function checkView(view: unknown, kind: 'home'): HomeView;
export function checkView(view: unknown, kind: 'modal' | 'home'): ModalView | HomeView;
export function checkView(view: unknown, kind: 'modal' | 'home'): ModalView | HomeView {
  const p = new Problems();
  if (!isObject(view)) {
    p.add('/view', 'must provide an object');
    throw new SlackApiError('invalid_arguments', p.lines);
  }
  if (view.type !== kind) p.add('/view/type', `must be ${kind}`);
  if (kind === 'modal') {
    if (view.title === undefined) p.add('/view/title', 'missing required field: title');
    p.text('/view/title', view.title, BLOCK_KIT.viewTitle, true);
    p.text('/view/submit', view.submit, BLOCK_KIT.viewTitle, true);
    p.text('/view/close', view.close, BLOCK_KIT.viewTitle, true);
  }
  p.length('/view/private_metadata', view.private_metadata, BLOCK_KIT.privateMetadata);
  p.length('/view/callback_id', view.callback_id, BLOCK_KIT.callbackId);
  p.length('/view/external_id', view.external_id, BLOCK_KIT.callbackId);
  if (!Array.isArray(view.blocks)) p.add('/view/blocks', 'missing required field: blocks');
  else blocksOf(p, '/view/blocks', view.blocks, BLOCK_KIT.viewBlocks, true);
  if (p.lines.length > 0) throw new SlackApiError('invalid_arguments', p.lines);
  // Checked above: the right type, a title for a modal, and blocks Slack takes.
  return view as unknown as ModalView | HomeView;
}
