// The strict Block Kit validator the fake Slack applies: Slack's documented examples
// pass, each documented limit is caught with the pointer and wording Slack answers with,
// and the fake answers like Slack (invalid_blocks, invalid_arguments, HTTP 400 on response_url).
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BLOCK_KIT_LIMITS,
  checkMessage,
  checkView,
  invalidBlocksAnswer,
  type BlockKitProblem,
} from '../../views/block-kit-rules.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';

const pt = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string) => ({ type: 'section', text: md(text) });
const button = (text: string, action_id = 'b', extra: object = {}) => ({
  type: 'button',
  text: pt(text),
  action_id,
  ...extra,
});
const option = (text: string, value = 'v') => ({ text: pt(text), value });
const x = (n: number) => 'x'.repeat(n);
const messages = (ps: BlockKitProblem[]) => ps.map((p) => `${p.message} [json-pointer:${p.pointer}]`);

// Examples from Slack's reference pages (docs.slack.dev/reference/block-kit/...), lightly trimmed.
const DOCUMENTED_MESSAGE = {
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Budget Performance' } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: 'A message *with some bold text* and _some italicized text_.' },
      accessory: {
        type: 'overflow',
        action_id: 'overflow',
        options: [
          { text: pt('Option 1'), value: 'value-0' },
          { text: pt('Option 2'), value: 'value-1' },
          { text: pt('Option 3'), value: 'value-2', url: 'https://example.com' },
        ],
      },
    },
    {
      type: 'section',
      fields: [md('*Type:*\nComputer (laptop)'), md('*When:*\nSubmitted Aug 10'), pt('Last Update'), pt('Reason')],
    },
    { type: 'divider' },
    {
      type: 'context',
      elements: [
        {
          type: 'image',
          image_url: 'https://image.freepik.com/free-photo/red-drawing-pin_1156-445.jpg',
          alt_text: 'images',
        },
        { type: 'mrkdwn', text: 'Location: **Dogpatch**' },
      ],
    },
    {
      type: 'actions',
      block_id: 'actionblock789',
      elements: [
        {
          type: 'static_select',
          placeholder: pt('Which witch is the witchiest witch?'),
          action_id: 'select_2',
          options: [option('Matilda', 'matilda'), option('Glinda', 'glinda')],
        },
        button('Click Me', 'button_1', { value: 'click_me_123', style: 'primary' }),
        button('Link Button', 'button_2', { url: 'https://api.slack.com/block-kit' }),
        {
          type: 'checkboxes',
          action_id: 'this_is_an_action_id',
          options: [
            { value: 'A1', text: pt('Checkbox 1') },
            { value: 'A2', text: md('*Checkbox 2*'), description: md('*A description*') },
          ],
        },
      ],
    },
    {
      type: 'image',
      title: pt('Please enjoy this photo of a kitten'),
      block_id: 'image4',
      image_url: 'http://placekitten.com/500/500',
      alt_text: 'An incredibly cute kitten.',
    },
  ],
  // Slack takes a table only in an attachment (views/block-kit-tables.ts).
  attachments: [
    {
      blocks: [
        {
          type: 'table',
          column_settings: [{ is_wrapped: true }, { align: 'right' }],
          rows: [
            [
              { type: 'raw_text', text: 'Header A' },
              { type: 'raw_text', text: 'Header B' },
            ],
            [
              { type: 'raw_text', text: 'Data 1A' },
              {
                type: 'rich_text',
                elements: [
                  {
                    type: 'rich_text_section',
                    elements: [{ type: 'link', text: 'Data 1B', url: 'https://slack.com' }],
                  },
                ],
              },
            ],
          ],
        },
      ],
    },
  ],
};

const DOCUMENTED_MODAL = {
  type: 'modal',
  title: pt('My App'),
  submit: pt('Submit'),
  close: pt('Cancel'),
  private_metadata: 'incident=42',
  callback_id: 'declare',
  blocks: [
    section(
      "Hello, Assistant to the Regional Manager Dwight! *Michael Scott* wants to know where you'd like to take the Paper Company investors to dinner tonight.",
    ),
    {
      type: 'input',
      block_id: 'title',
      label: pt('Label'),
      element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
      hint: pt('Hint text'),
    },
    {
      type: 'input',
      block_id: 'owner',
      label: pt('Owner'),
      element: { type: 'users_select', action_id: 'value', placeholder: pt('Select a user') },
    },
  ],
};

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

describe('the fake Slack answers violations as Slack does', () => {
  let fake: FakeSlack;
  let client: WebClient;
  beforeAll(async () => {
    fake = await startFakeSlack();
    const quiet = {
      debug() {},
      info() {},
      warn() {},
      error() {},
      setLevel() {},
      getLevel: () => LogLevel.ERROR,
      setName() {},
    };
    client = new WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet as Logger,
    });
  });
  afterAll(() => fake.close());

  it('chat.postMessage, chat.postEphemeral and chat.update: ok:false, invalid_blocks, with response_metadata', async () => {
    const blocks = [section(x(3001))];
    await expect(client.chat.postMessage({ channel: 'C1', text: 't', blocks })).rejects.toMatchObject({
      data: {
        ok: false,
        error: 'invalid_blocks',
        response_metadata: {
          messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
        },
      },
    });
    await expect(client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 't', blocks })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    const posted = await client.chat.postMessage({ channel: 'C1', text: 't', blocks: [section('ok')] });
    await expect(client.chat.update({ channel: 'C1', ts: posted.ts!, text: 't', blocks })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    expect(fake.lastMessage('C1')?.blocks).toEqual([section('ok')]); // the rejected update changed nothing
    expect(fake.violations.map((v) => v.method)).toEqual(['chat.postMessage', 'chat.postEphemeral', 'chat.update']);
    fake.violations.length = 0; // expected here; setup.ts fails any other test that leaves one
  });

  it('views.open, views.update, views.push and views.publish: invalid_arguments', async () => {
    const bad = { ...DOCUMENTED_MODAL, title: pt(x(25)) };
    const expected = {
      data: {
        ok: false,
        error: 'invalid_arguments',
        response_metadata: { messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'] },
      },
    };
    await expect(client.views.open({ trigger_id: '1.2.3', view: bad as never })).rejects.toMatchObject(expected);
    const opened = await client.views.open({ trigger_id: '1.2.3', view: DOCUMENTED_MODAL as never });
    await expect(client.views.update({ view_id: opened.view!.id!, view: bad as never })).rejects.toMatchObject(
      expected,
    );
    await expect(client.views.push({ trigger_id: '1.2.4', view: bad as never })).rejects.toMatchObject(expected);
    const home = { type: 'home', blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) };
    await expect(client.views.publish({ user_id: 'U1', view: home as never })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    expect((await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } })).ok).toBe(true);
    expect(fake.violations).toHaveLength(4);
    fake.violations.length = 0;
  });

  it('a response_url answers HTTP 400 invalid_blocks and records nothing as posted', async () => {
    const url = fake.responseUrl('strict');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 't', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('invalid_blocks');
    expect(fake.responses.filter((r) => r.id === 'strict')).toEqual([]);
    expect(fake.violations[0]).toMatchObject({
      method: 'response_url',
      messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
    });
    fake.violations.length = 0;
    const ok = await fetch(url, { method: 'POST', body: JSON.stringify({ text: 't', blocks: [section('fine')] }) });
    expect(ok.status).toBe(200);
  });

  it('every limit names the documentation it comes from', () => {
    for (const [name, l] of Object.entries(BLOCK_KIT_LIMITS)) {
      expect(l.source, name).toMatch(/^https:\/\/docs\.slack\.dev\/reference\//);
      expect(l.max, name).toBeGreaterThan(0);
    }
  });
});
