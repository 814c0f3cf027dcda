import { describe, expect, it } from 'vitest';
import { renderHealthReport } from '../../views/health.js';
import { renderHelp, renderCommandHelp } from '../../views/help.js';
import { renderJobList, renderJobProgress } from '../../views/jobs.js';
import { fitReply } from '../../views/limits.js';
import { progressBar, sparkline } from '../../views/progress.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { section } from '../../views/blocks.js';
import { toSlackMessage } from '../../src/slack/render.js';

const at = new Date('2026-11-23T09:00:00Z');

describe('health view', () => {
  const ok = { name: 'api', kind: 'http' as const, target: 'https://x', ok: true, latencyMs: 40, detail: 'HTTP 200' };
  it('puts the verdict first and colours it by outcome', () => {
    const healthy = renderHealthReport({ env: 'prod', checks: [ok], timeoutMs: 3000, checkedAt: at });
    expect(healthy.tone).toBe('ok');
    expect(healthy.text).toBe('prod healthy: 1/1 checks pass');
    const failing = renderHealthReport({
      env: 'prod',
      checks: [
        ok,
        { ...ok, name: 'db', kind: 'postgres', ok: false, detail: 'db unreachable after 3s', latencyMs: 3000 },
      ],
      timeoutMs: 3000,
      checkedAt: at,
    });
    expect(failing.tone).toBe('danger');
    expect(JSON.stringify(failing.blocks[0])).toContain('1 of 2 checks failing');
    // failing checks are listed before passing ones
    expect(JSON.stringify(failing.blocks[1]).indexOf('db')).toBeLessThan(
      JSON.stringify(failing.blocks[1]).indexOf('api'),
    );
  });
  it('marks a slow pass yellow and says when there is nothing to check', () => {
    expect(
      renderHealthReport({ env: 'prod', checks: [{ ...ok, latencyMs: 2000 }], timeoutMs: 3000, checkedAt: at }).tone,
    ).toBe('warning');
    expect(renderHealthReport({ env: 'prod', checks: [], timeoutMs: 3000, checkedAt: at }).text).toContain(
      'nothing to check',
    );
  });
});

describe('help view', () => {
  it('shows a risk badge and stays within Slack limits with many commands', () => {
    const entries = Array.from({ length: 200 }, (_, i) => ({
      name: `topic${i % 20} cmd${i}`,
      summary: 'does a thing '.repeat(3),
      usage: '/ops x',
      risk: (i % 7 === 0 ? 'dangerous' : 'read') as 'read' | 'dangerous',
    }));
    const reply = renderHelp(entries, ['prod']);
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    for (const b of reply.blocks) if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(reply.blocks)).toContain(':rotating_light:');
  });
  it('shows usage, examples and who may run a command', () => {
    const text = JSON.stringify(
      renderCommandHelp({
        name: 'rollback',
        summary: 'Roll back',
        usage: '/ops rollback [env] [version]',
        risk: 'dangerous',
        examples: ['rollback prod'],
        access: 'only oncall',
      }).blocks,
    );
    expect(text).toContain('/ops rollback [env] [version]');
    expect(text).toContain('`/ops rollback prod`');
    expect(text).toContain('only oncall');
  });
});

describe('jobs views', () => {
  it('draws a progress bar and offers Cancel as a command button', () => {
    const reply = renderJobProgress({
      id: '7',
      title: 'VACUUM orders',
      state: 'active',
      percent: 40,
      createdAt: at,
      requestedBy: 'U0A',
    });
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain('▰▰▰▰▰▰▰▰▱▱▱▱▱▱▱▱▱▱▱▱ 40%');
    expect(text).toContain('"action_id":"ops.run"');
    expect(text).toContain('"value":"jobs cancel 7"');
  });
  it('lists running, queued and failed jobs', () => {
    const reply = renderJobList({
      now: at,
      active: [{ id: '1', title: 'Snapshot', state: 'active', percent: 50, createdAt: at }],
      queued: [],
      failed: [{ id: '2', title: 'Vacuum', state: 'failed', percent: 10, createdAt: at, failedReason: 'timed out' }],
    });
    expect(reply.tone).toBe('warning');
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain('*Running* 1');
    const lines = renderReplyAsText(reply).split('\n');
    expect(lines.find((l) => l.startsWith('running'))).toMatch(/^running\s+1\s+Snapshot\s+▰▰▰▰▰▱▱▱▱▱ 50%/);
    expect(lines.find((l) => l.startsWith('failed'))).toMatch(/^failed\s+2\s+Vacuum\s+timed out/);
  });
});

describe('pictures', () => {
  it('progress bar and sparkline', () => {
    expect(progressBar(0)).toBe('▱▱▱▱▱▱▱▱▱▱ 0%');
    expect(progressBar(100)).toBe('▰▰▰▰▰▰▰▰▰▰ 100%');
    expect(progressBar(150)).toBe('▰▰▰▰▰▰▰▰▰▰ 100%');
    expect(sparkline([1, 2, 3, null, 8])).toBe('▁▂▃ █');
    expect(sparkline([])).toBe('');
  });
});

describe('Slack limits and rendering', () => {
  it('keeps 48 blocks, says how many more, and attaches the full reply', () => {
    const blocks = Array.from({ length: 90 }, (_, i) => section(`line ${i}`));
    const fitted = fitReply({ text: 'x', blocks });
    expect(fitted.blocks).toHaveLength(49);
    expect(JSON.stringify(fitted.blocks.at(-1))).toContain('42 more blocks');
    expect(fitted.files?.[0].filename).toBe('full-reply.txt');
  });
  it('puts a toned reply beside a coloured bar, verdict on top, secrets removed', () => {
    const msg = toSlackMessage({
      text: 'db at postgres://u:pw@h/d',
      tone: 'danger',
      blocks: [section('verdict'), section('postgres://u:pw@h/d')],
    });
    expect(msg.blocks).toHaveLength(1);
    expect(msg.attachments?.[0].color).toBe('#E01E5A');
    expect(JSON.stringify(msg)).not.toContain(':pw@');
  });
  it('renders blocks as readable terminal text', () => {
    const text = renderReplyAsText({ text: '', blocks: [section('*bold* and `code` and <https://x|a link>')] });
    expect(text).toBe('bold and code and a link (https://x)');
  });
  it('leaves inline code exactly as written in the terminal', () => {
    expect(renderReplyAsText({ text: '', blocks: [section('*morning* (`0 9 * * 1-5`) and _soon_')] })).toBe(
      'morning (0 9 * * 1-5) and soon',
    );
  });
});
