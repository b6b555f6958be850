import { esc, mrkdwn, plain, type Names } from './mrkdwn.ts';

/**
 * Block Kit as Slack's clients lay it out: header, section (text, fields, an accessory), context, divider,
 * image, actions (buttons and selects that work), and the input blocks of a modal. A message's blocks are
 * read as they were stored: whatever an API caller sent, so every value is checked before it is used and
 * every string escaped.
 */
export interface BlockPlace {
  names: Names;
  /** Where a button or select on a message posts: absent inside a modal, whose elements are form fields. */
  press?: { channel: string; ts: string; userId: string; home?: boolean };
  /** Inside a modal: the field errors (`response_action: errors`) and what the person typed so far. */
  modal?: { errors: Record<string, string>; typed: Record<string, string[]> | undefined };
}

type Obj = Record<string, unknown>;

export const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isObj) : []);
const string = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A text object: mrkdwn or plain_text. */
export function textOf(place: BlockPlace, value: unknown): string {
  if (!isObj(value) || typeof value.text !== 'string') return '';
  return value.type === 'mrkdwn' ? mrkdwn(place.names, value.text) : plain(value.text);
}

export function renderBlocks(place: BlockPlace, blocks: readonly unknown[]): string {
  return blocks.map((b) => (isObj(b) ? renderBlock(place, b) : '')).join('');
}

function renderBlock(place: BlockPlace, b: Obj): string {
  switch (b.type) {
    case 'divider':
      return '<hr class="divider">';
    case 'header':
      return `<div class="header">${textOf(place, b.text)}</div>`;
    case 'section': {
      const fields = list(b.fields);
      const fieldsHtml = fields.length
        ? `<div class="fields">${fields.map((f) => `<div>${textOf(place, f)}</div>`).join('')}</div>`
        : '';
      const accessory = isObj(b.accessory)
        ? `<div class="accessory">${element(place, b, b.accessory)}</div>`
        : '';
      return `<div class="section"><div class="section-body">${textOf(place, b.text)}${fieldsHtml}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="context">${list(b.elements)
        .map((e) => (e.type === 'image' ? image(e, 'context-image') : `<span>${textOf(place, e)}</span>`))
        .join('')}</div>`;
    case 'actions':
      return `<div class="actions">${list(b.elements)
        .map((e) => element(place, b, e))
        .join('')}</div>`;
    case 'image':
      return `<div class="image-block">${b.title ? `<div>${textOf(place, b.title)}</div>` : ''}${image(b, '')}</div>`;
    case 'input':
      return input(place, b);
    default:
      return `<div class="unsupported">(a ${esc(string(b.type))} block)</div>`;
  }
}

function image(e: Obj, cls: string): string {
  const url = string(e.image_url);
  return /^https?:/i.test(url)
    ? `<img class="${cls}" src="${esc(url)}" alt="${esc(string(e.alt_text))}">`
    : '';
}

/** An interactive element on a message: a form that presses it as the acting person. */
function element(place: BlockPlace, block: Obj, e: Obj): string {
  if (e.type === 'image') return image(e, 'accessory-image');
  const at = place.press;
  const actionId = string(e.action_id);
  if (!at || (e.type !== 'button' && e.type !== 'static_select')) {
    return `<span class="control unsupported">${e.type === 'button' ? textOf(place, e.text) : `(${esc(string(e.type))})`}</span>`;
  }
  const hidden = [
    ['channel', at.channel],
    ['ts', at.ts],
    ['actionId', actionId],
    ['userId', at.userId],
    ...(at.home ? [['home', '1']] : []),
  ]
    .map(([name = '', value = '']) => `<input type="hidden" name="${name}" value="${esc(value)}">`)
    .join('');
  if (e.type === 'button') {
    const style = e.style === 'primary' || e.style === 'danger' ? ` ${e.style}` : '';
    return `<form class="press" method="post" action="/ui/press">${hidden}<button class="btn${style}" data-action="${esc(actionId)}">${textOf(place, e.text)}</button></form>`;
  }
  const initial = isObj(e.initial_option) ? string(e.initial_option.value) : '';
  const options = list(e.options)
    .map((o) => {
      const value = string(o.value);
      return `<option value="${esc(value)}"${value === initial ? ' selected' : ''}>${esc(string(isObj(o.text) ? o.text.text : ''))}</option>`;
    })
    .join('');
  const placeholder = isObj(e.placeholder) ? string(e.placeholder.text) : 'Choose…';
  const blank = initial ? '' : `<option value="" selected disabled>${esc(placeholder)}</option>`;
  return `<form class="press select" method="post" action="/ui/press">${hidden}<select name="selected" data-action="${esc(actionId)}" data-block="${esc(string(block.block_id))}" aria-label="${esc(placeholder)}">${blank}${options}</select><noscript><button class="btn">Choose</button></noscript></form>`;
}

/** An input block of a modal: its label, the field (named `block::action`), its hint and its error. */
function input(place: BlockPlace, b: Obj): string {
  const blockId = string(b.block_id);
  const e = isObj(b.element) ? b.element : {};
  const name = `${blockId}::${string(e.action_id)}`;
  const typed = place.modal?.typed?.[name];
  const error = place.modal?.errors[blockId];
  const label = `<label class="input-label" for="${esc(name)}">${textOf(place, b.label)}${b.optional === true ? ' <span class="optional">(optional)</span>' : ''}</label>`;
  const hint = b.hint ? `<div class="hint">${textOf(place, b.hint)}</div>` : '';
  const err = error ? `<div class="field-error" role="alert">${plain(error)}</div>` : '';
  return `<div class="input-block${error ? ' has-error' : ''}" data-block="${esc(blockId)}">${label}${field(place, e, name, typed)}${hint}${err}</div>`;
}

function field(place: BlockPlace, e: Obj, name: string, typed: string[] | undefined): string {
  const id = `id="${esc(name)}" name="${esc(name)}"`;
  const options = list(e.options);
  const optionText = (o: Obj) => textOf(place, o.text);
  switch (e.type) {
    case 'plain_text_input': {
      const value = typed?.[0] ?? string(e.initial_value);
      const max = typeof e.max_length === 'number' ? ` maxlength="${e.max_length}"` : '';
      const placeholder = isObj(e.placeholder) ? ` placeholder="${esc(string(e.placeholder.text))}"` : '';
      return e.multiline === true
        ? `<textarea ${id} rows="8"${max}${placeholder}>${esc(value)}</textarea>`
        : `<input type="text" ${id} value="${esc(value)}"${max}${placeholder}>`;
    }
    case 'static_select': {
      const chosen = typed?.[0] ?? (isObj(e.initial_option) ? string(e.initial_option.value) : '');
      return `<select ${id}><option value="">Choose…</option>${options
        .map(
          (o) =>
            `<option value="${esc(string(o.value))}"${string(o.value) === chosen ? ' selected' : ''}>${optionText(o)}</option>`,
        )
        .join('')}</select>`;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const type = e.type === 'checkboxes' ? 'checkbox' : 'radio';
      const initial = e.type === 'checkboxes' ? list(e.initial_options) : list([e.initial_option]);
      const chosen = typed ?? initial.map((o) => string(o.value));
      return options
        .map((o) => {
          const value = string(o.value);
          return `<label class="choice"><input type="${type}" name="${esc(name)}" value="${esc(value)}"${chosen.includes(value) ? ' checked' : ''}> ${optionText(o)}</label>`;
        })
        .join('');
    }
    default:
      return `<div class="unsupported">(a ${esc(string(e.type))} field)</div>`;
  }
}
