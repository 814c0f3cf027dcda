// The strict Block Kit validator the fake Slack applies: Slack's documented examples
// pass, and each documented limit is caught with the pointer and wording Slack answers with
// (how the fake answers with them: block-kit-fake-slack.test.ts).
import { describe, expect, it } from 'vitest';
import {
  BLOCK_KIT_LIMITS,
  checkMessage,
  checkView,
  invalidBlocksAnswer,
  type BlockKitProblem,
} from '../../views/block-kit-rules.js';
import {
  DOCUMENTED_MESSAGE,
  DOCUMENTED_MODAL,
  button,
  md,
  option,
  pt,
  section,
  x,
} from '../fixtures/slack/block-kit.js';

const messages = (ps: BlockKitProblem[]) => ps.map((p) => `${p.message} [json-pointer:${p.pointer}]`);

describe('Block Kit rules: documented examples pass', () => {
  it('a message using every block type opsbot sends', () => {
    expect(checkMessage(DOCUMENTED_MESSAGE)).toEqual([]);
  });
  it('a modal with inputs, and an App Home', () => {
    expect(checkView(DOCUMENTED_MODAL, 'modal')).toEqual([]);
    expect(checkView({ type: 'home', blocks: [section('Welcome home')] }, 'home')).toEqual([]);
  });
  it('exactly at each limit is still fine', () => {
    const body = {
      text: x(BLOCK_KIT_LIMITS.messageText.max),
      blocks: [
        { type: 'header', text: pt(x(150)) },
        {
          type: 'section',
          block_id: x(255),
          text: md(x(3000)),
          accessory: button(x(75), x(255), { value: x(2000), url: `https://e.x/${x(2988)}` }),
        },
        { type: 'section', fields: Array.from({ length: 10 }, () => md(x(2000))) },
        { type: 'context', elements: Array.from({ length: 10 }, () => md('c')) },
        { type: 'actions', elements: Array.from({ length: 25 }, (_, i) => button('b', `b${i}`)) },
        ...Array.from({ length: 45 }, (_, i) => section(`s${i}`)),
      ],
      attachments: [
        {
          blocks: [
            {
              type: 'table',
              column_settings: Array.from({ length: 20 }, () => ({ align: 'right', is_wrapped: true })),
              rows: Array.from({ length: 100 }, () =>
                Array.from({ length: 20 }, () => ({ type: 'raw_text', text: 'c' })),
              ),
            },
          ],
        },
      ],
    };
    expect(body.blocks).toHaveLength(50);
    expect(checkMessage(body)).toEqual([]);
    const view = {
      ...DOCUMENTED_MODAL,
      title: pt(x(24)),
      submit: pt(x(24)),
      close: pt(x(24)),
      private_metadata: x(3000),
    };
    expect(
      checkView({ ...view, blocks: [...view.blocks, ...Array.from({ length: 97 }, () => ({ type: 'divider' }))] }),
    ).toEqual([]);
  });
});

describe('Block Kit rules: each violation is caught as Slack reports it', () => {
  const one = (block: object) => messages(checkMessage({ blocks: [block] }));

  it('blocks: 50 per message, 100 per view', () => {
    expect(messages(checkMessage({ blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }))).toEqual([
      'no more than 50 items allowed [json-pointer:/blocks]',
    ]);
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));
    expect(messages(checkView({ type: 'home', blocks }))).toEqual([
      'no more than 100 items allowed [json-pointer:/view/blocks]',
    ]);
  });
  it('text lengths: section 3,000, field 2,000 and 10 fields, header 150', () => {
    expect(one(section(x(3001)))).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
    expect(one({ type: 'section', fields: [md(x(2001))] })).toEqual([
      'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
    ]);
    expect(one({ type: 'section', fields: Array.from({ length: 11 }, () => md('f')) })).toEqual([
      'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
    ]);
    expect(one({ type: 'header', text: pt(x(151)) })).toEqual([
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(one(section(''))).toEqual(['must be more than 0 characters [json-pointer:/blocks/0/text/text]']);
  });
  it('buttons and options: text 75, value 2,000, URL 3,000, option value 150', () => {
    expect(one({ type: 'actions', elements: [button(x(76))] })).toEqual([
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ]);
    expect(one({ type: 'actions', elements: [button('ok', 'b', { value: x(2001) })] })).toEqual([
      'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    ]);
    expect(one({ type: 'actions', elements: [button('ok', 'b', { url: `https://e.x/${x(2990)}` })] })).toEqual([
      'must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]',
    ]);
    const select = (options: object[]) => ({
      type: 'actions',
      elements: [{ type: 'static_select', action_id: 's', options }],
    });
    expect(one(select([option(x(76))]))).toEqual([
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/options/0/text/text]',
    ]);
    expect(one(select([option('o', x(151))]))).toEqual([
      'must be less than 151 characters [json-pointer:/blocks/0/elements/0/options/0/value]',
    ]);
  });
  it('element counts: context 10, actions 25, options 100, overflow 2–5, checkboxes 10', () => {
    expect(one({ type: 'context', elements: Array.from({ length: 11 }, () => md('c')) })).toEqual([
      'no more than 10 items allowed [json-pointer:/blocks/0/elements]',
    ]);
    expect(one({ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button('b', `b${i}`)) })).toEqual([
      'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
    ]);
    const opts = (n: number) => Array.from({ length: n }, (_, i) => option(`o${i}`, `v${i}`));
    expect(one({ type: 'actions', elements: [{ type: 'static_select', action_id: 's', options: opts(101) }] })).toEqual(
      ['no more than 100 items allowed [json-pointer:/blocks/0/elements/0/options]'],
    );
    expect(
      one({ type: 'section', text: md('t'), accessory: { type: 'overflow', action_id: 'o', options: opts(1) } }),
    ).toEqual(['must provide at least 2 items [json-pointer:/blocks/0/accessory/options]']);
    expect(
      one({ type: 'section', text: md('t'), accessory: { type: 'overflow', action_id: 'o', options: opts(6) } }),
    ).toEqual(['no more than 5 items allowed [json-pointer:/blocks/0/accessory/options]']);
    expect(one({ type: 'actions', elements: [{ type: 'checkboxes', action_id: 'c', options: opts(11) }] })).toEqual([
      'no more than 10 items allowed [json-pointer:/blocks/0/elements/0/options]',
    ]);
  });
  it('identifiers: block_id and action_id 255, block_id unique in a message, action_id unique in a block', () => {
    expect(one({ type: 'divider', block_id: x(256) })).toEqual([
      'must be less than 256 characters [json-pointer:/blocks/0/block_id]',
    ]);
    expect(one({ type: 'actions', elements: [button('a', x(256))] })).toEqual([
      'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
    ]);
    expect(
      messages(
        checkMessage({
          blocks: [
            { type: 'divider', block_id: 'd' },
            { type: 'divider', block_id: 'd' },
          ],
        }),
      ),
    ).toEqual(['duplicate block_id: d [json-pointer:/blocks/1/block_id]']);
    expect(one({ type: 'actions', elements: [button('a', 'same'), button('b', 'same')] })).toEqual([
      'duplicate action_id: same [json-pointer:/blocks/0/elements/1/action_id]',
    ]);
    // The same action_id in two blocks is fine (each block is its own scope).
    expect(
      checkMessage({
        blocks: [
          { type: 'actions', elements: [button('a', 'x')] },
          { type: 'actions', elements: [button('b', 'x')] },
        ],
      }),
    ).toEqual([]);
  });
  it('tables: 100 rows of at most 20 cells, 20 column settings, non-empty cells', () => {
    const cell = { type: 'raw_text', text: 'c' };
    const inAttachment = (block: object) => messages(checkMessage({ attachments: [{ blocks: [block] }] }));
    const at = '/attachments/0/blocks/0';
    expect(inAttachment({ type: 'table', rows: Array.from({ length: 101 }, () => [cell]) })).toEqual([
      `no more than 100 items allowed [json-pointer:${at}/rows]`,
    ]);
    expect(inAttachment({ type: 'table', rows: [Array.from({ length: 21 }, () => cell)] })).toEqual([
      `no more than 20 items allowed [json-pointer:${at}/rows/0]`,
    ]);
    expect(
      inAttachment({ type: 'table', rows: [[cell]], column_settings: Array.from({ length: 21 }, () => ({})) }),
    ).toEqual([`no more than 20 items allowed [json-pointer:${at}/column_settings]`]);
    expect(inAttachment({ type: 'table', rows: [[cell]], column_settings: [{ align: 'middle' }] })).toEqual([
      `must be a valid enum value [json-pointer:${at}/column_settings/0/align]`,
    ]);
    const empty = {
      type: 'rich_text',
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: '' }] }],
    };
    expect(
      inAttachment({ type: 'table', rows: [[{ type: 'raw_text', text: '' }, empty, { type: 'number' }]] }),
    ).toEqual([
      `must be more than 0 characters [json-pointer:${at}/rows/0/0/text]`,
      `must be more than 0 characters [json-pointer:${at}/rows/0/1/elements/0/elements/0/text]`,
      `must be a valid enum value [json-pointer:${at}/rows/0/2/type]`,
    ]);
    expect(inAttachment({ type: 'table' })).toEqual([`missing required field: rows [json-pointer:${at}]`]);
  });
  it('tables: sent in attachments, one per message (invalid_attachments: only_one_table_allowed)', () => {
    const table = { type: 'table', rows: [[{ type: 'raw_text', text: 'c' }]] };
    expect(one(table)).toEqual(['table blocks must be sent in attachments [json-pointer:/blocks/0]']);
    const two = checkMessage({ attachments: [{ blocks: [table] }, { blocks: [section('s'), table] }] });
    expect(two).toEqual([
      { pointer: '/attachments/1/blocks/1', message: 'only_one_table_allowed', error: 'invalid_attachments' },
    ]);
    expect(invalidBlocksAnswer(two).error).toBe('invalid_attachments');
    expect(messages(checkView({ type: 'modal', title: pt('T'), blocks: [table] }))).toEqual([
      'must be a valid enum value [json-pointer:/view/blocks/0/type]',
    ]);
  });
  it('required fields and text object types', () => {
    expect(one({ type: 'section' })).toEqual(['must define either `text` or `fields` [json-pointer:/blocks/0]']);
    expect(one({ type: 'header', text: md('*bold*') })).toEqual([
      'must be a valid enum value [json-pointer:/blocks/0/text/type]',
    ]);
    expect(one({ type: 'actions', elements: [{ type: 'button', text: md('go'), action_id: 'b' }] })).toEqual([
      'must be a valid enum value [json-pointer:/blocks/0/elements/0/text/type]',
    ]);
    expect(one({ type: 'context' })).toEqual(['missing required field: elements [json-pointer:/blocks/0]']);
    expect(one({ type: 'image', image_url: 'https://e.x/i.png' })).toEqual([
      'missing required field: alt_text [json-pointer:/blocks/0]',
    ]);
    expect(one({ type: 'sektion', text: md('t') })).toEqual([
      'must be a valid enum value [json-pointer:/blocks/0/type]',
    ]);
    expect(one({ type: 'section', text: { text: 'no type' } })).toEqual([
      'missing required field: type [json-pointer:/blocks/0/text]',
    ]);
  });
  it('modals: title, submit and close 24, private_metadata 3,000, submit with inputs, no tables', () => {
    const modal = (extra: object) => messages(checkView({ ...DOCUMENTED_MODAL, ...extra }, 'modal'));
    expect(modal({ title: pt(x(25)) })).toEqual(['must be less than 25 characters [json-pointer:/view/title/text]']);
    expect(modal({ submit: pt(x(25)) })).toEqual(['must be less than 25 characters [json-pointer:/view/submit/text]']);
    expect(modal({ close: pt(x(25)) })).toEqual(['must be less than 25 characters [json-pointer:/view/close/text]']);
    expect(modal({ title: md('My App') })).toEqual(['must be a valid enum value [json-pointer:/view/title/type]']);
    expect(modal({ private_metadata: x(3001) })).toEqual([
      'must be less than 3001 characters [json-pointer:/view/private_metadata]',
    ]);
    expect(modal({ submit: undefined })).toEqual(['missing required field: submit [json-pointer:/view]']);
    expect(messages(checkView({ type: 'modal', blocks: [] }, 'modal'))).toEqual([
      'missing required field: title [json-pointer:/view]',
    ]);
  });
});

describe('Block Kit limits', () => {
  it('every limit names the documentation it comes from', () => {
    for (const [name, l] of Object.entries(BLOCK_KIT_LIMITS)) {
      expect(l.source, name).toMatch(/^https:\/\/docs\.slack\.dev\/reference\//);
      expect(l.max, name).toBeGreaterThan(0);
    }
  });
});
