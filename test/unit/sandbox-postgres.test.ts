import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startPostgres, type LocalService } from '../../src/sandbox/services.js';
import { seedAppDatabase } from '../../src/sandbox/app-database.js';
import { querySlowStatements } from '../../src/probes/pg-diagnostics/statements.js';

let service: LocalService | undefined;
afterAll(async () => service?.stop());

describe("the demo's embedded Postgres (issue 14, case 10)", () => {
  it('has pg_stat_statements loaded, so /ops db slow shows real statements', { timeout: 60_000 }, async () => {
    service = await startPostgres(undefined, ['opsbot', 'app']);
    const url = service.url.replace(/\/opsbot$/, '/app');
    expect(await seedAppDatabase(url, 2)).toEqual({ statements: true });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const slow = await querySlowStatements(client, { orderBy: 'total', limit: 10 });
      expect(slow.installed).toBe(true);
      const texts = 'statements' in slow ? slow.statements.map((s) => s.query).join('\n') : '';
      expect(texts).toContain('FROM bookings');
      // The set-up is forgotten: the ranking is the workload's, not the seeding's (found by npm run demo:replies).
      expect(texts).not.toMatch(/INSERT INTO bookings|CREATE EXTENSION|ANALYZE/);
    } finally {
      await client.end();
    }
  });
});
