import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase, sql } from '../support/databases.js';
import * as fx from '../fixtures/aws-actions/responses.js';

const rds = mockClient(RDSClient);

/** Scratch databases this file's verifications created and did not drop. */
async function leftovers(): Promise<string[]> {
  const rows = await sql(PG_ADMIN_URL, "SELECT datname FROM pg_database WHERE datname LIKE 'opsbot_verify_logical_%'");
  return rows.map((r) => r.datname);
}

describe('backup verify: a real pg_dump restored into a scratch database', () => {
  let app: TestApp;
  let live: TestDatabase;
  let dumpDir: string;

  beforeAll(async () => {
    live = await createTestDatabase('opsbot_live');
    await sql(
      live.url,
      `CREATE TABLE customers (id serial PRIMARY KEY, name text);
       CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers(id), note text);
       CREATE TABLE settings (key text PRIMARY KEY, value text);
       INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 200) g;
       INSERT INTO orders (customer_id, note) SELECT 1 + g % 200, repeat('x', 200) FROM generate_series(1, 3000) g;
       INSERT INTO settings VALUES ('a', '1'), ('b', '2'), ('c', '3');`,
    );
    dumpDir = mkdtempSync(join(tmpdir(), 'opsbot-dumps-'));
    const dumped = spawnSync('pg_dump', ['-Fc', '-f', join(dumpDir, 'live-20261123.dump'), live.url], {
      encoding: 'utf8',
    });
    expect(dumped.status, dumped.stderr).toBe(0);
    app = await TestApp.start({
      configYaml: `
environments:
  logical:
    database: { url: "${live.url}" }
    backup:
      verify: { dumpPath: "${dumpDir}", scratchUrl: "${PG_ADMIN_URL}", checks: { largest: 3, tolerancePercent: 5 } }
  snap:
    region: us-east-1
    rds: { instance: ${fx.RDS_INSTANCE} }
    database: { url: "${live.url}" }
    actions: { pollInterval: 20ms, restoreTimeout: 10s }
`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await live?.drop();
    rmSync(dumpDir, { recursive: true, force: true });
  });

  function finalMessage(channel: string, done: (json: string) => boolean): Promise<string> {
    return waitUntil(
      `the final message in ${channel}`,
      () => {
        const m = app.fake.lastMessage(channel);
        const json = m ? JSON.stringify([m.blocks, m.attachments]) : '';
        return done(json) ? json : undefined;
      },
      { timeoutMs: 20_000 },
    );
  }

  it('restores the dump, matches the row counts of the largest tables, drops the scratch database and records the result', async () => {
    await app.command('backup verify logical', { channelId: 'C0VERIFY1' });
    const final = await finalMessage('C0VERIFY1', (j) => j.includes('done in') || j.includes('failed'));
    expect(final).toContain('Backup verified');
    expect(final).toContain('orders: 3000 restored / 3000 live');
    expect(final).toContain('customers: 200 restored / 200 live');
    expect(final).toContain('dropped scratch database opsbot_verify_logical_');
    expect(await leftovers()).toEqual([]);
    const recorded = await app.runtime.services.backupVerifications.latest('logical');
    expect(recorded).toMatchObject({ ok: true, method: 'logical', source: join(dumpDir, 'live-20261123.dump') });
    expect(recorded?.checks.map((c) => c.table).sort()).toEqual(['customers', 'orders', 'settings']);
  });

  it('fails when the restored data is too far from the live database, and still cleans up', async () => {
    const verifications = app.runtime.services.backupVerifications;
    // An earlier good verification, which a failed one must not hide from "last verified".
    const passed = await verifications.record({
      env: 'logical',
      method: 'logical',
      source: join(dumpDir, 'live-20261123.dump'),
      ok: true,
      summary: 'Dump restored; 3 table(s) checked',
      checks: [],
      startedAt: new Date(),
      durationMs: 1,
    });
    await sql(live.url, "INSERT INTO orders (customer_id, note) SELECT 1, 'late' FROM generate_series(1, 1000)");
    try {
      await app.command('backup verify logical', { channelId: 'C0VERIFY2' });
      const final = await finalMessage('C0VERIFY2', (j) => j.includes('done in') || j.includes('failed'));
      expect(final).toContain(
        'Backup verification of logical failed: 1 of 3 table check(s) failed: orders (-1000 rows (more than 5% off))',
      );
    } finally {
      await sql(live.url, "DELETE FROM orders WHERE note = 'late'");
    }
    expect(await leftovers()).toEqual([]);
    expect((await verifications.latest('logical'))?.ok).toBe(false);
    expect((await verifications.latest('logical', { okOnly: true }))?.id).toBe(passed.id);
  });

  it('restores the latest snapshot to a temporary instance, checks it and deletes the instance', async () => {
    const liveUrl = new URL(live.url);
    rds.on(DescribeDBSnapshotsCommand).resolves({
      DBSnapshots: [
        fx.snapshot('rds:expo-project-prod-db-2026-11-23-03-10', 'available', 100, 'automated'),
        fx.snapshot('opsbot-snap-20261122-0900', 'available', 100, 'manual', new Date('2026-11-22T09:00:00Z')),
      ],
    });
    let polls = 0;
    rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
      if (input.DBInstanceIdentifier === fx.RDS_INSTANCE)
        return { DBInstances: [fx.dbInstance(fx.RDS_INSTANCE, 'available')] };
      // The "restored copy" is the live test database itself, so the counts must match.
      return {
        DBInstances: [
          fx.dbInstance(input.DBInstanceIdentifier, ++polls < 3 ? 'creating' : 'available', {
            address: liveUrl.hostname,
            port: Number(liveUrl.port || 5432),
          }),
        ],
      };
    });
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({});
    rds.on(DeleteDBInstanceCommand).resolves({});
    await app.command('backup verify snap', { channelId: 'C0VERIFY3' });
    const final = await finalMessage('C0VERIFY3', (j) => j.includes('done in') || j.includes('failed'));
    expect(final).toContain('Backup verified');
    expect(final).toContain('rds:expo-project-prod-db-2026-11-23-03-10');
    const restoreCall = rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0].args[0].input;
    expect(restoreCall.DBInstanceIdentifier).toMatch(/^expo-project-prod-db-verify-\d{8}-\d{4}$/);
    expect(restoreCall.DBSnapshotIdentifier).toBe('rds:expo-project-prod-db-2026-11-23-03-10');
    expect(rds).toHaveReceivedCommandWith(DeleteDBInstanceCommand, {
      DBInstanceIdentifier: restoreCall.DBInstanceIdentifier,
      SkipFinalSnapshot: true,
    });

    // backup list shows the snapshots and the last verified backup
    const listing = replyText(await app.ask('backup list snap'));
    expect(listing).toContain('rds:expo-project-prod-db-2026-11-23-03-10');
    expect(listing).toContain('automated');
    expect(listing).toContain('20 GiB');
    expect(listing).toContain('Last verified');
  });
});
