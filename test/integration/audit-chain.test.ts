import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase, sql } from '../support/databases.js';
import { createLogger } from '../../src/log.js';
import { migrate } from '../../src/store/migrate.js';
import { createPool, type Pool } from '../../src/store/pool.js';
import { AuditRepository } from '../../src/store/audit.js';
import { auditExport, auditVerify, CSV_COLUMNS, type AuditExportRow } from '../../src/cli/audit.js';

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

/** RFC 4180 lines back into cells (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  return rows;
}

describe('audit trail: append-only and hash-chained', () => {
  let db: TestDatabase;
  let pool: Pool;
  let repo: AuditRepository;
  const role = `opsbot_app_${process.pid}`;

  beforeAll(async () => {
    db = await createTestDatabase('opsbot_audit');
    await migrate(db.url, createLogger('silent'));
    pool = createPool(db.url, { max: 8 });
    repo = new AuditRepository(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    await sql(db.url.replace(/\/[^/]*$/, '/postgres'), `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  });

  it('forms one chain under concurrent inserts, and never stores a secret', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        repo.record({
          actorId: `U0${i}`,
          source: 'slack',
          command: 'rollback',
          text: `rollback prod --url postgres://app:hunter2@db/x`,
          env: 'prod',
          outcome: 'ok',
          durationMs: i,
          detail: { plan: { summary: 'Roll back', data: { token: 'xoxb-123-abc' } }, approvedBy: ['U0BOB'] },
        }),
      ),
    );
    const out = sink();
    expect(await auditVerify(repo, out)).toBe(0);
    expect(out.text()).toMatch(/^audit trail intact: 25 chained row\(s\); last row \d+, hash [0-9a-f]{64}\n$/);
    const dump = JSON.stringify(await sql(db.url, 'SELECT * FROM audit_log'));
    expect(dump).not.toContain('hunter2');
    expect(dump).not.toContain('xoxb-123-abc');
  });

  it('lets the bot role insert and read but never update, delete or truncate', async () => {
    await sql(db.url, `DROP ROLE IF EXISTS ${role}`);
    await sql(db.url, `CREATE ROLE ${role} LOGIN`);
    await sql(db.url, `GRANT SELECT, INSERT ON audit_log TO ${role}`);
    await sql(db.url, `GRANT USAGE ON SEQUENCE audit_log_id_seq TO ${role}`);
    const url = new URL(db.url);
    url.username = role;
    url.password = '';
    const appPool = createPool(url.toString(), { max: 2 });
    try {
      await new AuditRepository(appPool).record({ actorId: 'U0APP', source: 'system', text: 'x', outcome: 'ok' });
      for (const statement of [`UPDATE audit_log SET text = 'y'`, 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
        await expect(appPool.query(statement), statement).rejects.toThrow(/permission denied/);
      }
      const grants = await sql(
        db.url,
        `SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'audit_log' AND grantee IN ('PUBLIC', current_user)`,
      );
      expect(grants.map((g) => g.privilege_type)).not.toEqual(expect.arrayContaining(['UPDATE']));
    } finally {
      await appPool.end();
    }
    expect(await auditVerify(repo, sink())).toBe(0);
  });

  it('names an edited row, then a deleted one (edited as the owner, as an attacker with the keys would)', async () => {
    const ids = (await sql(db.url, 'SELECT id FROM audit_log ORDER BY id')).map((r) => Number(r.id));
    const edited = ids[5];
    // The test connects as the superuser, who bypasses the REVOKE.
    await sql(db.url, `UPDATE audit_log SET outcome = 'rejected' WHERE id = $1`, [edited]);
    const out = sink();
    expect(await auditVerify(repo, out)).toBe(1);
    expect(out.text()).toContain(`audit trail BROKEN at row ${edited}: row ${edited} was altered`);
    await sql(db.url, `UPDATE audit_log SET outcome = 'ok' WHERE id = $1`, [edited]);
    expect(await auditVerify(repo, sink())).toBe(0);

    const removed = ids[10];
    await sql(db.url, 'DELETE FROM audit_log WHERE id = $1', [removed]);
    const out2 = sink();
    expect(await auditVerify(repo, out2)).toBe(1);
    expect(out2.text()).toContain(
      `audit trail BROKEN at row ${ids[11]}: row ${ids[11]} does not follow row ${ids[9]}: the row(s) between them were removed`,
    );
  });

  it('exports who, what, where, plan, approvers, outcome and duration, as JSONL and CSV that read back', async () => {
    const rows = await repo.since(new Date(Date.now() - 3_600_000));
    const jsonl = sink();
    expect(await auditExport(repo, { since: '1h', format: 'jsonl' }, jsonl, sink())).toBe(0);
    const parsed = jsonl
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditExportRow);
    expect(parsed.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(parsed[0]).toMatchObject({
      command: 'rollback',
      env: 'prod',
      outcome: 'ok',
      approvers: ['U0BOB'],
      plan: { summary: 'Roll back' },
    });
    expect(parsed[0].hash).toMatch(/^[0-9a-f]{64}$/);

    const csv = sink();
    expect(await auditExport(repo, { since: '1h', format: 'csv' }, csv, sink())).toBe(0);
    const [header, ...cells] = parseCsv(csv.text());
    expect(header).toEqual(CSV_COLUMNS);
    expect(cells).toHaveLength(parsed.length);
    const first = Object.fromEntries(header.map((h, i) => [h, cells[0][i]]));
    expect(first.id).toBe(String(parsed[0].id));
    expect(JSON.parse(first.plan)).toEqual(parsed[0].plan);
    expect(JSON.parse(first.approvers)).toEqual(['U0BOB']);
    expect(first.text).toBe(parsed[0].text);

    const err = sink();
    expect(await auditExport(repo, { since: 'soon' }, sink(), err)).toBe(2);
    expect(err.text()).toContain('not a duration');
  });
});
