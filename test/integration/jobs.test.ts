import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { defineJob } from '../../src/core/job.js';
import { UserError } from '../../src/errors.js';
import { commands } from '../../commands/index.js';
import { section } from '../../views/blocks.js';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

/** Test-only commands exercising the job machinery: steps with progress, failure, slowness. */
const steps = defineJob<{ steps: number; stepMs: number }>({
  name: 'test.steps',
  async run(ctx, { steps, stepMs }) {
    for (let i = 1; i <= steps; i++) {
      await new Promise((resolve) => setTimeout(resolve, stepMs));
      if (ctx.signal.aborted) throw new Error('aborted');
      await ctx.progress((i / steps) * 100, `step ${i} of ${steps}`);
    }
    return { text: `did ${steps} steps`, blocks: [section(`did ${steps} steps`)] };
  },
});
const failing = defineJob({
  name: 'test.fail',
  async run() {
    throw new UserError('the snapshot quota is exhausted', 'Delete old snapshots first.');
  },
});
const crashing = defineJob({
  name: 'test.crash',
  async run() {
    throw new Error('socket hang up at postgres://u:hunter2@h/d');
  },
});
const slow = defineJob({
  name: 'test.slow',
  timeoutMs: 300,
  async run() {
    await new Promise((r) => setTimeout(r, 5000));
    return { text: 'late', blocks: [] };
  },
});

const testCommands = [
  ...commands,
  defineCommand({
    name: 'steps',
    summary: 's',
    usage: '[n]',
    risk: 'write',
    env: false,
    positionals: ['n'],
    args: z.object({ n: z.coerce.number().default(3), ms: z.coerce.number().default(30) }),
    jobs: [steps],
    async run(_ctx, { n, ms }) {
      return { job: { name: 'test.steps', data: { steps: n, stepMs: ms }, title: `Steps x${n}` } };
    },
  }),
  defineCommand({
    name: 'failjob',
    summary: 'f',
    usage: '',
    risk: 'write',
    env: false,
    args: z.object({}),
    jobs: [failing],
    async run() {
      return { job: { name: 'test.fail', data: {}, title: 'Snapshot' } };
    },
  }),
  defineCommand({
    name: 'crashjob',
    summary: 'c',
    usage: '',
    risk: 'write',
    env: false,
    args: z.object({}),
    jobs: [crashing],
    async run() {
      return { job: { name: 'test.crash', data: {}, title: 'Crash' } };
    },
  }),
  defineCommand({
    name: 'slowjob',
    summary: 'l',
    usage: '',
    risk: 'write',
    env: false,
    args: z.object({}),
    jobs: [slow],
    async run() {
      return { job: { name: 'test.slow', data: {}, title: 'Slow' } };
    },
  }),
];

describe('jobs: progress messages, failures, cancel, /ops jobs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ commands: testCommands, progressIntervalMs: 40 });
  });
  afterAll(async () => app?.stop());

  /** Waits until the job message in the channel satisfies the predicate, returning its final JSON. */
  function waitForMessage(channel: string, predicate: (json: string) => boolean): Promise<string> {
    return waitUntil(
      `the job message in ${channel} to match ${predicate}`,
      () => {
        const message = app.fake.lastMessage(channel);
        const json = message ? JSON.stringify([message.blocks, message.attachments]) : '';
        return predicate(json) ? json : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 25 }, // CI's loaded machine took over 8 s to show a cancel
    );
  }

  it('posts a progress message, updates it with a bar, and ends with the result and time taken', async () => {
    await app.command('steps 5 --ms 60', { channelId: 'C0JOBS1' });
    const final = await waitForMessage('C0JOBS1', (j) => j.includes('done in'));
    expect(final).toContain('did 5 steps');
    expect(final).toContain('requested by <@U0ALICE>');
    const updates = app.fake.callsTo('chat.update').filter((c) => c.args.channel === 'C0JOBS1');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates.some((u) => JSON.stringify(u.args).includes('▰'))).toBe(true);
    // throttled: fewer updates than progress reports would have made unthrottled (5 steps + start + end)
    expect(updates.length).toBeLessThanOrEqual(7);
  });

  it('reports a job that fails with its reason, and a crash with a reference but no secret', async () => {
    await app.command('failjob', { channelId: 'C0JOBS2' });
    const failed = await waitForMessage('C0JOBS2', (j) => j.includes('failed'));
    expect(failed).toContain('the snapshot quota is exhausted');
    expect(failed).toContain('Delete old snapshots first.');
    await app.command('crashjob', { channelId: 'C0JOBS3' });
    const crashed = await waitForMessage('C0JOBS3', (j) => j.includes('failed unexpectedly'));
    expect(crashed).toMatch(/ref [0-9a-f]{4}/);
    expect(crashed).not.toContain('hunter2');
    expect(app.logs.text()).not.toContain('hunter2');
  });

  it('stops a job at its time limit with a clear message', async () => {
    await app.command('slowjob', { channelId: 'C0JOBS4' });
    const timedOut = await waitForMessage('C0JOBS4', (j) => j.includes('Timed out'));
    expect(timedOut).toContain('Timed out after 300 ms');
  });

  it('lists a running job with /ops jobs and cancels it with /ops jobs cancel', async () => {
    await app.command('steps 200 --ms 50', { channelId: 'C0JOBS5' });
    await waitForMessage('C0JOBS5', (j) => j.includes('running'));
    const listing = replyText(await app.ask('jobs'));
    const id = /running\s+(\d+)\s+Steps x200/.exec(listing)?.[1];
    expect(id, listing).toBeDefined();
    const cancelled = await app.ask(`jobs cancel ${id}`, { userId: 'U0BOB' });
    expect(replyText(cancelled)).toContain('was asked to stop');
    const final = await waitForMessage('C0JOBS5', (j) => j.includes('cancelled'));
    expect(final).toContain('cancelled by <@U0BOB>');
    const after = replyText(await app.ask('jobs'));
    expect(after).not.toMatch(/running\s+\d+\s+Steps x200/);
  });

  it('runs the Cancel button through the same router as typed text', async () => {
    await app.command('steps 200 --ms 50', { channelId: 'C0JOBS6' });
    const running = await waitForMessage('C0JOBS6', (j) => j.includes('jobs cancel'));
    const value = /"value":"(jobs cancel \d+)"/.exec(running)![1];
    const click = await app.click('ops.run', value, { userId: 'U0CAROL', channelId: 'C0JOBS6' });
    expect(click.status).toBe(200);
    await waitForMessage('C0JOBS6', (j) => j.includes('cancelled by <@U0CAROL>'));
    const [ack] = await app.fake.waitForResponse((p) => p.id === click.responseId);
    expect(ack.body.response_type).toBe('ephemeral');
  });

  it('answers cancel of an unknown or finished job with what to do instead', async () => {
    expect(replyText(await app.ask('jobs cancel 99999'))).toContain('There is no job `99999`');
    expect(replyText(await app.ask('jobs cancel'))).toContain('`<id>` is required');
  });

  it('tells the requester when the progress message cannot be posted, and still runs the job', async () => {
    app.fake.failNext('chat.postMessage', 'channel_not_found');
    const reply = await app.ask('steps 1 --ms 1', { channelId: 'C0NOWHERE' });
    expect(replyText(reply)).toMatch(
      /Queued \*Steps x1\* as job `\d+`, but I cannot post its progress here \(channel_not_found\)/,
    );
  });
});
