import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMP_JOB, scheduledDumpEnvelope, syncBackupSchedules } from '../../src/backup/schedule.js';
import { parseConfig } from '../../src/config/load.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/log.js';
import { Redis } from 'ioredis';
import { awsError } from '../support/aws-mocks.js';
import { createTestDatabase, createTestRedis, type TestDatabase } from '../support/databases.js';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

const quiet = createLogger('silent');

describe('backup schedules: one job scheduler per scheduled environment (real BullMQ)', () => {
  const redis = createTestRedis('opsbot-bk-sched');
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const jobs = new JobQueue(connection, redis.prefix);

  afterAll(async () => {
    await jobs.close();
    await connection.quit();
    await redis.cleanup();
  });

  const yaml = (envs: string) => `timezone: Europe/Berlin\nchannels: { alerts: C0ALERTS }\nenvironments:\n${envs}`;

  it('registers scheduled environments, skips on-demand ones, and removes only stale backup schedulers', async () => {
    await jobs.upsertSchedule('checklist:daily', { pattern: '0 9 * * *', tz: 'UTC' }, 'checklist.post', {
      data: { checklist: 'daily' },
      meta: { title: 'Post checklist daily', requestedBy: 'opsbot' },
    });
    const first = parseConfig(
      yaml(`  esn:
    database: { url: "postgres://u@h/esn", backup: { dir: /b/esn, schedule: "0 2 * * *", channel: C0ESNOPS } }
  invoice:
    database: { url: "postgres://u@h/inv", backup: { dir: /b/inv, schedule: "30 1 * * 1-5" } }
  manual:
    database: { url: "postgres://u@h/man", backup: { dir: /b/man, schedule: none } }
  aws:
    rds: { instance: prod-db }
`),
      {},
    ).config;
    expect((await syncBackupSchedules(jobs, first, quiet)).sort()).toEqual(['backup:esn', 'backup:invoice']);
    const schedulers = await jobs.queue.getJobSchedulers(0, -1);
    const esn = schedulers.find((s) => s.key === 'backup:esn')!;
    expect(esn).toMatchObject({ name: DUMP_JOB, pattern: '0 2 * * *', tz: 'Europe/Berlin' });
    expect(schedulers.find((s) => s.key === 'backup:invoice')).toMatchObject({ pattern: '30 1 * * 1-5' });
    // Upserting again changes nothing and never doubles a scheduler (every worker calls this at start).
    await syncBackupSchedules(jobs, first, quiet);
    expect((await jobs.scheduleIds()).filter((k) => k.startsWith('backup:')).sort()).toEqual([
      'backup:esn',
      'backup:invoice',
    ]);

    const second = parseConfig(
      yaml(`  esn:
    database: { url: "postgres://u@h/esn", backup: { dir: /b/esn, schedule: "15 3 * * *" } }
`),
      {},
    ).config;
    expect(await syncBackupSchedules(jobs, second, quiet)).toEqual(['backup:esn']);
    const after = await jobs.queue.getJobSchedulers(0, -1);
    expect(after.map((s) => s.key).sort()).toEqual(['backup:esn', 'checklist:daily']);
    expect(after.find((s) => s.key === 'backup:esn')).toMatchObject({ pattern: '15 3 * * *' });
  });

  it("posts a scheduled run's outcome in backup.channel, else channels.alerts", () => {
    const { config } = parseConfig(
      yaml(`  esn:
    database: { url: "postgres://u@h/esn", backup: { dir: /b/esn, channel: C0ESNOPS } }
  invoice:
    database: { url: "postgres://u@h/inv", backup: { dir: /b/inv } }
`),
      {},
    );
    expect(scheduledDumpEnvelope('esn', config)).toMatchObject({
      data: { env: 'esn', requestedBy: 'opsbot', scheduled: true },
      meta: { title: 'Scheduled backup of esn', announce: 'C0ESNOPS' },
    });
    expect(scheduledDumpEnvelope('invoice', config).meta.announce).toBe('C0ALERTS');
    const none = parseConfig(
      `environments:\n  x:\n    database: { url: "postgres://u@h/x", backup: { dir: /b } }\n`,
      {},
    );
    expect(scheduledDumpEnvelope('x', none.config).meta.announce).toBeUndefined();
  });
});

describe('a scheduled backup posts its outcome to Slack (real worker, pg_dump, fake Slack, S3 mocked)', () => {
  const s3 = mockClient(S3Client);
  let live: TestDatabase;
  let dir: string;
  let app: TestApp;

  beforeAll(async () => {
    live = await createTestDatabase('opsbot_bksched');
    const client = new pg.Client({ connectionString: live.url });
    await client.connect();
    await client.query(
      `CREATE TABLE invoices (id serial PRIMARY KEY, note text);
       INSERT INTO invoices (note) SELECT md5(g::text) FROM generate_series(1, 2000) g;`,
    );
    await client.end();
    dir = await mkdtemp(join(tmpdir(), 'opsbot-bksched-'));
    // A 40-day-old backup that retention deletes after the new one succeeded.
    const old = join(dir, 'invoice-20200101-0200.sql.gz');
    await writeFile(old, 'old');
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    await utimes(old, longAgo, longAgo);
    const broken = new URL(live.url);
    broken.pathname = '/no_such_database_here';
    app = await TestApp.start({
      progressIntervalMs: 20,
      configYaml: `
channels: { alerts: C0ALERTS }
environments:
  invoice:
    region: eu-central-1
    database:
      url: "${live.url}"
      backup: { dir: "${dir}", keep: 30d, channel: C0BKOPS, s3: { bucket: invoice-backups, prefix: nightly } }
  broken:
    database: { url: "${broken.toString()}", backup: { dir: "${dir}" } }
`,
    });
  }, 60_000);

  afterAll(async () => {
    s3.restore();
    await app?.stop();
    await live?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  function postedIn(channel: string, words: string) {
    return app.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === channel && JSON.stringify(c.args).includes(words),
      { timeoutMs: 60_000 },
    );
  }

  it('success: size, duration, the S3 copy and what retention deleted, in backup.channel', async () => {
    // A bucket that remembers what was put, beside a copy 45 days old (response shapes of the S3 API reference).
    const stored = new Map<string, Date>([
      ['nightly/invoice-20200101-0200.sql.gz', new Date(Date.now() - 45 * 86_400_000)],
    ]);
    s3.on(PutObjectCommand).callsFake((input: { Key: string }) => {
      stored.set(input.Key, new Date());
      return { ETag: '"9b2cf535f27731c974343645a3985328"' };
    });
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => {
      const keys = [...stored].filter(([k]) => k.startsWith(input.Prefix));
      return {
        IsTruncated: false,
        KeyCount: keys.length,
        Contents: keys.map(([Key, LastModified]) => ({ Key, LastModified, Size: 10, StorageClass: 'STANDARD' })),
      };
    });
    s3.on(DeleteObjectCommand).callsFake((input: { Key: string }) => {
      stored.delete(input.Key);
      return {};
    });
    await app.runtime.jobs.enqueue(DUMP_JOB, scheduledDumpEnvelope('invoice', app.config));
    const [post] = await postedIn('C0BKOPS', 'Backup of invoice is done');
    const json = JSON.stringify(post.args);
    expect(json).toMatch(/invoice-\d{8}-\d{4}\.sql\.gz/);
    expect(json).toMatch(/\(\d+(\.\d+)? kB\)/); // the size
    expect(json).toMatch(/MB\/s written/); // the duration and speed
    expect(json).toContain('deleted 1 older backup');
    expect(json).toContain('invoice-20200101-0200.sql.gz');
    expect(json).toContain('s3://invoice-backups/nightly/invoice-');
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input.Key).toMatch(/^nightly\/invoice-\d{8}-\d{4}\.sql\.gz$/);
    expect(json).toContain('S3 retention (keep 30d 0h) deleted 1 older copy');
    expect([...stored.keys()]).toEqual([s3.commandCalls(PutObjectCommand)[0].args[0].input.Key]);
    expect(post.args.attachments).toEqual([expect.objectContaining({ color: '#2EB67D' })]);
    expect(await readdir(dir)).not.toContain('invoice-20200101-0200.sql.gz');
    expect(app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0ALERTS')).toHaveLength(0);
  }, 90_000);

  it('backup list shows the S3 copies with age and size; a refused listing names s3:ListBucket', async () => {
    const [local] = (await readdir(dir)).filter((f) => /^invoice-\d{8}-\d{4}\.sql\.gz$/.test(f));
    s3.reset();
    s3.on(ListObjectsV2Command).resolves({
      IsTruncated: false,
      KeyCount: 2,
      Contents: [
        { Key: `nightly/${local}`, LastModified: new Date(), Size: 42_000, StorageClass: 'STANDARD' },
        {
          Key: 'nightly/invoice-20261001-0200.sql.gz',
          LastModified: new Date(Date.now() - 3 * 86_400_000),
          Size: 7_000_000,
          StorageClass: 'STANDARD',
        },
      ],
    });
    const listed = replyText(await app.ask('backup list invoice'));
    for (const word of [
      'S3 OBJECT',
      local,
      'invoice-20261001-0200.sql.gz',
      '7 MB',
      '3d 0h',
      '2 copies in s3://invoice-backups/nightly/',
    ])
      expect(listed).toContain(word);

    s3.reset();
    s3.on(ListObjectsV2Command).rejects(awsError('AccessDenied', 'Access Denied'));
    const denied = await app.ask('backup list invoice');
    expect(replyText(denied)).toContain('lacks `s3:ListBucket`');
    expect(replyText(denied)).toContain(local); // the local files are still listed
  });

  it('failure: red, with the reason, in channels.alerts; an S3 refusal names the IAM action and deletes nothing', async () => {
    await app.runtime.jobs.enqueue(DUMP_JOB, scheduledDumpEnvelope('broken', app.config));
    const [post] = await postedIn('C0ALERTS', 'Scheduled backup of broken');
    const json = JSON.stringify(post.args);
    expect(json).toContain('failed');
    expect(json).toContain('no_such_database_here');
    expect(json).toContain('#E01E5A'); // danger

    s3.reset();
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    const before = await readdir(dir);
    await app.runtime.jobs.enqueue(DUMP_JOB, scheduledDumpEnvelope('invoice', app.config));
    const [denied] = await postedIn('C0BKOPS', 's3:PutObject');
    const text = JSON.stringify(denied.args);
    expect(text).toContain('#E01E5A');
    expect(text).toContain('No backups were deleted');
    await waitUntil('the new local file to be kept beside the older ones', async () => {
      const now = await readdir(dir);
      return now.length === before.length + 1 && before.every((f) => now.includes(f));
    });
  }, 90_000);
});
