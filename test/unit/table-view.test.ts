// views/table.ts: Slack's table block with its fallbacks, where src/slack/render.ts puts it, and that
// every message the table views build passes the strict validator the fake Slack applies.
import type { TableBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../views/block-kit-rules.js';
import { fitReply } from '../../views/limits.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { dataTable, oneTablePerMessage, tableAsText } from '../../views/table.js';
import { renderJobList } from '../../views/jobs.js';
import { renderAlertList } from '../../views/alert-list.js';
import { toSlackMessage } from '../../src/slack/render.js';
import { section } from '../../views/blocks.js';

const cols = [{ header: 'name' }, { header: 'size', align: 'right' as const }];

describe('the table view', () => {
  it('builds one table block: a bold header row, rich-text cells, column settings, "—" for empty cells', () => {
    const [block, ...rest] = dataTable(cols, [
      ['orders', '12 MB'],
      ['users', ''],
    ]);
    expect(rest).toEqual([]);
    const t = block as TableBlock;
    expect(t.type).toBe('table');
    expect(t.column_settings).toEqual([
      { align: 'left', is_wrapped: false },
      { align: 'right', is_wrapped: false },
    ]);
    expect(t.rows).toHaveLength(3);
    expect(JSON.stringify(t.rows[0][0])).toContain('"style":{"bold":true}');
    expect(tableAsText(t)).toEqual(['name     size', 'orders  12 MB', 'users       —']);
  });

  it('keeps 99 data rows under the header and says how many more there were', () => {
    const rows = Array.from({ length: 130 }, (_, i) => [`t${i}`, String(i)]);
    const blocks = dataTable(cols, rows);
    expect((blocks[0] as TableBlock).rows).toHaveLength(100);
    expect(JSON.stringify(blocks[1])).toContain('… 31 more rows');
    expect(checkMessage({ attachments: [{ blocks }] })).toEqual([]);
  });

  it('more than 20 columns become aligned text instead', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ header: `c${i}` }));
    const blocks = dataTable(many, [many.map((_, i) => String(i))]);
    expect(blocks.every((b) => b.type === 'section')).toBe(true);
    expect(JSON.stringify(blocks)).toContain('c0  c1');
  });

  it('a second table in one message becomes aligned text, since Slack allows one', () => {
    const blocks = [...dataTable(cols, [['a', '1']]), section('between'), ...dataTable(cols, [['b', '2']])];
    const fitted = oneTablePerMessage(blocks);
    expect(fitted.filter((b) => b.type === 'table')).toHaveLength(1);
    expect(JSON.stringify(fitted[2])).toContain('name  size\\nb        2');
    expect(fitReply({ text: 't', blocks }).blocks.filter((b) => b.type === 'table')).toHaveLength(1);
  });

  it('Slack gets the table in an attachment, keeping the order the view wrote; the terminal gets text', () => {
    const blocks = [section('head'), ...dataTable(cols, [['a', '1']]), section('foot')];
    const plain = toSlackMessage({ text: 't', blocks });
    expect(plain.blocks?.map((b) => b.type)).toEqual(['section']);
    expect(plain.attachments?.[0].blocks?.map((b) => b.type)).toEqual(['table', 'section']);
    expect(checkMessage(plain)).toEqual([]);
    const toned = toSlackMessage({ text: 't', blocks, tone: 'ok' });
    expect(toned.attachments?.[0].blocks?.map((b) => b.type)).toEqual(['table', 'section']);
    expect(checkMessage(toned)).toEqual([]);
    const first = toSlackMessage({ text: 't', blocks: dataTable(cols, [['a', '1']]), tone: 'info' });
    expect(first.blocks).toBeUndefined();
    expect(checkMessage(first)).toEqual([]);
    expect(renderReplyAsText({ text: 't', blocks })).toBe('head\nname  size\na        1\n\nfoot');
  });

  it('people, links and emoji in cells are rich-text elements, and read as text in the fallback', () => {
    const reply = renderAlertList(
      [
        {
          id: 1,
          title: 'API 5xx',
          severity: 'P1',
          state: 'firing',
          count: 3,
          firstSeen: new Date(Date.now() - 60_000),
          ackedBy: 'U123',
          permalink: 'https://slack.example/archives/C1/p1',
        } as never,
      ],
      0,
    );
    const msg = toSlackMessage(reply);
    expect(checkMessage(msg)).toEqual([]);
    const json = JSON.stringify(msg.attachments);
    expect(json).toContain('{"type":"user","user_id":"U123"}');
    expect(json).toContain('{"type":"link","url":"https://slack.example/archives/C1/p1","text":"API 5xx"}');
    expect(renderReplyAsText(reply)).toMatch(/:eyes: acknowledged\s+P1\s+API 5xx/);
    const jobs = renderJobList({
      now: new Date(),
      active: [{ id: '9', title: 'Backup', state: 'active', percent: 10, createdAt: new Date(), requestedBy: 'U9' }],
      queued: [],
      failed: [],
    });
    expect(checkMessage(toSlackMessage(jobs))).toEqual([]);
    expect(renderReplyAsText(jobs)).toMatch(/running\s+9\s+Backup\s+.*@U9/);
  });
});
