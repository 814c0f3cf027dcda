import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { defineJob } from '../../src/core/job.js';
import { commands } from '../../commands/index.js';
import { TestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

/** Hangs forever once `crashed` is set: what a worker whose process died looks like from Redis. */
let crashed = false;
const snapshot = defineJob({
  name: 'test.snapshot',
  async run(ctx) {
    await ctx.progress(10, 'creating the snapshot');
    crashed = true;
    await new Promise(() => undefined);
    return { text: 'never', blocks: [] };
  },
});
const testCommands = [
  ...commands,
  defineCommand({
    name: 'snap',
    summary: 's',
    usage: '',
    risk: 'write',
    env: false,
    args: z.object({}),
    jobs: [snapshot],
    async run() {
      return { job: { name: 'test.snapshot', data: {}, title: 'Snapshot' } };
    },
  }),
];

describe('a worker that dies mid-job', () => {
  let app: TestApp;
  const fast = { lockDurationMs: 1000, stalledIntervalMs: 300 };
  beforeAll(async () => {
    app = await TestApp.start({ commands: testCommands, workerOptions: fast });
  });
  afterAll(async () => app?.stop());

  it('is detected by another worker, and the job is reported, not silently repeated', async () => {
    await app.command('snap', { channelId: 'C0CRASH' });
    await waitUntil('the job to start and hang', () => crashed, { timeoutMs: 8000, intervalMs: 25 });
    // The first worker stops renewing its lock without finishing the job, as if its process had been killed.
    const first = app.runtime['worker']!;
    await first.worker.close(true);
    await app.runtime.startWorker({ progressIntervalMs: 50, ...fast });
    const failed = await app.fake.waitFor(
      (c) =>
        c.method === 'chat.update' &&
        c.args.channel === 'C0CRASH' &&
        JSON.stringify(c.args).includes('stopped mid-way'),
      { timeoutMs: 10_000 },
    );
    expect(JSON.stringify(failed[0].args)).toContain('does not repeat a job that changes things');
    // The message is posted from the failure event; the job's own failed state is written beside it.
    const job = await waitUntil('the job to be failed in the queue', async () =>
      (await app.runtime.jobs.queue.getJobs(['failed'])).at(0),
    );
    expect(job.failedReason).toContain('stopped mid-way');
  }, 20_000);
});
