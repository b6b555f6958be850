import type { StoredView, Workspace } from '../workspace.ts';
import { isObj, renderBlocks, textOf, type BlockPlace } from './blocks.ts';
import { esc } from './mrkdwn.ts';

/**
 * A modal on the page: the acting person's top open modal drawn over the page, and its form read back into
 * the `view.state.values` Slack sends with a `view_submission` (block id → action id → typed value).
 */
export interface ModalState {
  /** `response_action: errors` of the last submission, per block id, until the view changes. */
  errors: Record<string, string>;
  /** What the person had typed when they submitted, so an error does not lose it. */
  typed: Record<string, string[]>;
  /** The view's hash when these were recorded: an updated view starts afresh. */
  hash: string;
  /** Counts the submissions answered with errors: the page redraws the modal when it changes. */
  version: number;
}

/** The modal a person sees: the newest one opened for them that is still open (the top of a pushed stack). */
export function openModalOf(ws: Workspace, userId: string): StoredView | undefined {
  return [...ws.views.values()]
    .reverse()
    .find((v) => v.userId === userId && !v.closed && v.view.type === 'modal');
}

export function renderModal(
  names: BlockPlace['names'],
  stored: StoredView,
  userId: string,
  state: ModalState | undefined,
): string {
  const current = state?.hash === stored.hash ? state : undefined;
  const place: BlockPlace = { names, modal: { errors: current?.errors ?? {}, typed: current?.typed } };
  const { view } = stored;
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  const submit = isObj(view.submit) ? textOf(place, view.submit) : '';
  const close = isObj(view.close) ? textOf(place, view.close) : 'Cancel';
  return `<div class="modal-backdrop"><form class="modal" id="modal-form" method="post" action="/ui/submit" role="dialog" aria-label="${esc(typeof view.title === 'object' && isObj(view.title) ? String(view.title.text) : 'Modal')}">
<input type="hidden" name="viewId" value="${esc(stored.id)}"><input type="hidden" name="userId" value="${esc(userId)}">
<div class="modal-title">${textOf(place, view.title)}</div>
<div class="modal-body">${renderBlocks(place, blocks)}</div>
<div class="modal-buttons"><button class="btn" type="submit" formaction="/ui/close" name="close" value="1">${close}</button>${submit ? `<button class="btn primary" type="submit" id="modal-submit">${submit}</button>` : ''}</div>
</form></div>`;
}

/** The submitted form as Slack's `state.values`: only the view's own input blocks, typed as Slack types them. */
export function stateValues(
  view: Record<string, unknown>,
  form: URLSearchParams,
): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of Array.isArray(view.blocks) ? view.blocks : []) {
    if (!isObj(block) || block.type !== 'input' || !isObj(block.element)) continue;
    const e = block.element;
    const blockId = String(block.block_id);
    const actionId = String(e.action_id);
    const given = form.getAll(`${blockId}::${actionId}`);
    const options = Array.isArray(e.options) ? e.options.filter(isObj) : [];
    const option = (value: string) => options.find((o) => o.value === value);
    let value: Record<string, unknown>;
    switch (e.type) {
      case 'plain_text_input':
        value = { type: e.type, value: given[0] ?? '' };
        break;
      case 'static_select':
      case 'radio_buttons':
        value = { type: e.type, selected_option: option(given[0] ?? '') ?? null };
        break;
      case 'checkboxes':
        value = { type: e.type, selected_options: given.flatMap((g) => option(g) ?? []) };
        break;
      default:
        continue;
    }
    values[blockId] = { [actionId]: value };
  }
  return values;
}

/** What the person typed, by field name, to show again beside an error. */
export function typedFields(form: URLSearchParams): Record<string, string[]> {
  const typed: Record<string, string[]> = {};
  for (const key of new Set(form.keys())) if (key.includes('::')) typed[key] = form.getAll(key);
  return typed;
}
