// The walker behind checkMessage and checkView (block-kit-rules.ts): which block and element types each
// surface accepts, and one method per Block Kit object, each recording problems in Slack's wording.

/* eslint-disable @typescript-eslint/no-explicit-any -- it walks payloads of any shape, as Slack receives them */

import { BLOCK_KIT_LIMITS, type Limit } from './block-kit-limits.js';
import { checkTableBlock } from './block-kit-tables.js';
import type { BlockKitProblem, Surface } from './block-kit-problems.js';

const L = BLOCK_KIT_LIMITS;

const BLOCK_TYPES: Record<Surface, ReadonlySet<string>> = {
  message: new Set([
    'actions',
    'context',
    'context_actions',
    'divider',
    'file',
    'header',
    'image',
    'input',
    'markdown',
    'rich_text',
    'section',
    'table',
    'video',
  ]),
  modal: new Set(['actions', 'context', 'divider', 'header', 'image', 'input', 'rich_text', 'section', 'video']),
  home: new Set(['actions', 'context', 'divider', 'header', 'image', 'input', 'rich_text', 'section', 'video']),
};

/** Elements each parent accepts (section accessory, actions, input). */
const ACCESSORY = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'image',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'overflow',
  'radio_buttons',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'timepicker',
  'workflow_button',
]);
const ACTIONS_ELEMENTS = new Set([...ACCESSORY, 'datetimepicker', 'rich_text_input'].filter((t) => t !== 'image'));
const INPUT_ELEMENTS = new Set([
  ...[...ACCESSORY].filter((t) => !['button', 'image', 'overflow', 'workflow_button'].includes(t)),
  'datetimepicker',
  'email_text_input',
  'file_input',
  'number_input',
  'plain_text_input',
  'rich_text_input',
  'url_text_input',
]);

export class Checker {
  readonly problems: BlockKitProblem[] = [];

  fail(pointer: string, message: string, error?: string): void {
    this.problems.push(error ? { pointer, message, error } : { pointer, message });
  }

  required(obj: any, key: string, at: string): boolean {
    if (obj[key] === undefined || obj[key] === null) {
      this.fail(at, `missing required field: ${key}`);
      return false;
    }
    return true;
  }

  string(value: unknown, at: string, lim?: Limit, min = 0): void {
    if (value === undefined) return;
    if (typeof value !== 'string') return this.fail(at, 'must provide a string');
    if (value.length < min) this.fail(at, `must be more than ${min - 1} characters`);
    if (lim && value.length > lim.max) this.fail(at, `must be less than ${lim.max + 1} characters`);
  }

  array(value: unknown, at: string, max?: Limit, min = 0): value is any[] {
    if (!Array.isArray(value)) {
      this.fail(at, 'must provide an array');
      return false;
    }
    if (value.length < min) this.fail(at, `must provide at least ${min} item${min === 1 ? '' : 's'}`);
    if (max && value.length > max.max) this.fail(at, `no more than ${max.max} items allowed`);
    return true;
  }

  object(value: unknown, at: string): value is Record<string, any> {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(at, 'must provide an object');
      return false;
    }
    return true;
  }

  /** A text object; `kind` restricts it to plain_text (most labels) or allows either. */
  text(value: unknown, at: string, lim: Limit = L.textObject, kind: 'plain_text' | 'any' = 'any'): void {
    if (!this.object(value, at)) return;
    const allowed = kind === 'plain_text' ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (!this.required(value, 'type', at)) return;
    if (!allowed.includes(value.type)) this.fail(`${at}/type`, 'must be a valid enum value');
    if (!this.required(value, 'text', at)) return;
    this.string(value.text, `${at}/text`, lim, 1);
  }

  id(value: unknown, at: string, lim: Limit, seen?: Set<string>, what = 'block_id'): void {
    if (value === undefined) return;
    this.string(value, at, lim);
    if (seen && typeof value === 'string') {
      if (seen.has(value)) this.fail(at, `duplicate ${what}: ${value}`);
      seen.add(value);
    }
  }

  url(value: unknown, at: string): void {
    this.string(value, at, L.url);
  }

  confirm(value: unknown, at: string): void {
    if (value === undefined) return;
    if (!this.object(value, at)) return;
    for (const k of ['title', 'text', 'confirm', 'deny']) this.required(value, k, at);
    if (value.title) this.text(value.title, `${at}/title`, L.confirmTitle, 'plain_text');
    if (value.text) this.text(value.text, `${at}/text`, L.confirmText);
    if (value.confirm) this.text(value.confirm, `${at}/confirm`, L.confirmButton, 'plain_text');
    if (value.deny) this.text(value.deny, `${at}/deny`, L.confirmButton, 'plain_text');
    if (value.style !== undefined && !['primary', 'danger'].includes(value.style))
      this.fail(`${at}/style`, 'must be a valid enum value');
  }

  option(value: unknown, at: string, textKind: 'plain_text' | 'any', withUrl = false): void {
    if (!this.object(value, at)) return;
    if (this.required(value, 'text', at)) this.text(value.text, `${at}/text`, L.optionText, textKind);
    if (this.required(value, 'value', at)) this.string(value.value, `${at}/value`, L.optionValue);
    if (value.description !== undefined)
      this.text(value.description, `${at}/description`, L.optionDescription, textKind);
    if (value.url !== undefined) {
      if (withUrl) this.url(value.url, `${at}/url`);
      else this.fail(`${at}/url`, 'url is only allowed on overflow menu options');
    }
  }

  options(el: any, at: string, max: Limit, textKind: 'plain_text' | 'any', min = 1, withUrl = false): void {
    if (!this.required(el, 'options', at)) return;
    if (!this.array(el.options, `${at}/options`, max, min)) return;
    el.options.forEach((o: unknown, i: number) => this.option(o, `${at}/options/${i}`, textKind, withUrl));
  }

  element(el: unknown, at: string, allowed: ReadonlySet<string>, actionIds: Set<string>): void {
    if (!this.object(el, at)) return;
    if (!this.required(el, 'type', at)) return;
    if (!allowed.has(el.type)) return this.fail(`${at}/type`, 'must be a valid enum value');
    if (el.type !== 'image') this.id(el.action_id, `${at}/action_id`, L.actionId, actionIds, 'action_id');
    if (el.placeholder !== undefined) this.text(el.placeholder, `${at}/placeholder`, L.placeholder, 'plain_text');
    this.confirm(el.confirm, `${at}/confirm`);
    switch (el.type) {
      case 'button':
      case 'workflow_button':
        if (this.required(el, 'text', at)) this.text(el.text, `${at}/text`, L.buttonText, 'plain_text');
        this.string(el.value, `${at}/value`, L.buttonValue);
        if (el.url !== undefined) this.url(el.url, `${at}/url`);
        this.string(el.accessibility_label, `${at}/accessibility_label`, L.accessibilityLabel, 1);
        if (el.style !== undefined && !['primary', 'danger'].includes(el.style))
          this.fail(`${at}/style`, 'must be a valid enum value');
        break;
      case 'static_select':
      case 'multi_static_select':
        if (el.option_groups !== undefined) {
          if (this.array(el.option_groups, `${at}/option_groups`, L.selectOptionGroups, 1))
            el.option_groups.forEach((g: any, i: number) => {
              const gAt = `${at}/option_groups/${i}`;
              if (!this.object(g, gAt)) return;
              if (this.required(g, 'label', gAt)) this.text(g.label, `${gAt}/label`, L.optionGroupLabel, 'plain_text');
              this.options(g, gAt, L.selectOptions, 'plain_text');
            });
        } else this.options(el, at, L.selectOptions, 'plain_text');
        break;
      case 'overflow':
        this.options(el, at, L.overflowOptionsMax, 'plain_text', L.overflowOptionsMin.max, true);
        break;
      case 'checkboxes':
        this.options(el, at, L.checkboxOptions, 'any');
        break;
      case 'radio_buttons':
        this.options(el, at, L.radioOptions, 'any');
        break;
      case 'plain_text_input':
        if (
          el.max_length !== undefined &&
          (typeof el.max_length !== 'number' || el.max_length > L.plainTextInputMaxLength.max)
        )
          this.fail(`${at}/max_length`, `must be less than ${L.plainTextInputMaxLength.max + 1}`);
        break;
      case 'image':
        this.image(el, at);
        break;
    }
  }

  image(el: any, at: string): void {
    if (el.image_url === undefined && el.slack_file === undefined) this.fail(at, 'missing required field: image_url');
    if (el.image_url !== undefined) this.url(el.image_url, `${at}/image_url`);
    if (this.required(el, 'alt_text', at)) this.string(el.alt_text, `${at}/alt_text`, L.imageAltText, 1);
  }

  block(b: unknown, at: string, surface: Surface, blockIds: Set<string>): void {
    if (!this.object(b, at)) return;
    if (!this.required(b, 'type', at)) return;
    if (!BLOCK_TYPES[surface].has(b.type)) return this.fail(`${at}/type`, 'must be a valid enum value');
    this.id(b.block_id, `${at}/block_id`, L.blockId, blockIds);
    const actionIds = new Set<string>(); // "unique among all other action_ids in the containing block"
    switch (b.type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined) this.fail(at, 'must define either `text` or `fields`');
        if (b.text !== undefined) this.text(b.text, `${at}/text`, L.sectionText);
        if (b.fields !== undefined && this.array(b.fields, `${at}/fields`, L.sectionFields, 1))
          b.fields.forEach((f: unknown, i: number) => this.text(f, `${at}/fields/${i}`, L.sectionFieldText));
        if (b.accessory !== undefined) this.element(b.accessory, `${at}/accessory`, ACCESSORY, actionIds);
        break;
      case 'header':
        if (this.required(b, 'text', at)) this.text(b.text, `${at}/text`, L.headerText, 'plain_text');
        break;
      case 'context':
        if (this.required(b, 'elements', at) && this.array(b.elements, `${at}/elements`, L.contextElements, 1))
          b.elements.forEach((e: any, i: number) =>
            e?.type === 'image' ? this.image(e, `${at}/elements/${i}`) : this.text(e, `${at}/elements/${i}`),
          );
        break;
      case 'actions':
        if (this.required(b, 'elements', at) && this.array(b.elements, `${at}/elements`, L.actionsElements, 1))
          b.elements.forEach((e: unknown, i: number) =>
            this.element(e, `${at}/elements/${i}`, ACTIONS_ELEMENTS, actionIds),
          );
        break;
      case 'image':
        this.image(b, at);
        if (b.title !== undefined) this.text(b.title, `${at}/title`, L.imageTitle, 'plain_text');
        break;
      case 'input':
        if (this.required(b, 'label', at)) this.text(b.label, `${at}/label`, L.inputLabel, 'plain_text');
        if (this.required(b, 'element', at)) this.element(b.element, `${at}/element`, INPUT_ELEMENTS, actionIds);
        if (b.hint !== undefined) this.text(b.hint, `${at}/hint`, L.inputHint, 'plain_text');
        break;
      case 'markdown':
        if (this.required(b, 'text', at)) this.string(b.text, `${at}/text`, L.markdownBlockText, 1);
        break;
      case 'table':
        checkTableBlock(b, at, (p, m) => this.fail(p, m));
        break;
      case 'rich_text':
        if (this.required(b, 'elements', at)) this.array(b.elements, `${at}/elements`);
        break;
    }
  }

  blocks(blocks: unknown, at: string, surface: Surface, max: Limit): void {
    if (!this.array(blocks, at, max)) return;
    const blockIds = new Set<string>();
    blocks.forEach((b, i) => this.block(b, `${at}/${i}`, surface, blockIds));
  }
}
