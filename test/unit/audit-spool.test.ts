import { describe, expect, it } from 'vitest';
import { SpoolingAuditTrail } from '../../src/store/audit-spool.js';
import type { AuditEntry, AuditRecord, AuditTrail } from '../../src/store/audit.js';
import { clusterNodes, isClusterUrl } from '../../src/store/redis-connection.js';
import { waitUntil } from '../support/wait.js';

/** An audit trail whose writes fail, hang or succeed on command. */
class FlakyTrail implements AuditTrail {
  written: string[] = [];
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  private hung: (() => void)[] = [];
  async record(entry: AuditEntry): Promise<void> {
    if (this.mode === 'fail') throw new Error('connection refused');
    if (this.mode === 'hang') await new Promise<void>((resolve) => this.hung.push(resolve));
    this.written.push(entry.text);
  }
  releaseHung(): void {
    for (const r of this.hung.splice(0)) r();
  }
  async recent(): Promise<AuditRecord[]> {
    return [];
  }
}

const entry = (text: string): AuditEntry => ({ actorId: 'U1', source: 'slack', text, outcome: 'ok' });

describe('SpoolingAuditTrail', () => {
  it('waits at most waitMs, spools what failed, and writes it later in order', async () => {
    const inner = new FlakyTrail();
    const trail = new SpoolingAuditTrail(inner, { waitMs: 50, retryMs: 20 });
    inner.mode = 'fail';
    const started = Date.now();
    await trail.record(entry('a'));
    await trail.record(entry('b'));
    expect(Date.now() - started).toBeLessThan(500);
    expect(trail.backlog).toBe(2);
    inner.mode = 'ok';
    await waitUntil('the spool to drain', () => trail.backlog === 0);
    expect(inner.written).toEqual(['a', 'b']);
    trail.stop();
  });

  it('a hung write that later succeeds is not written a second time', async () => {
    const inner = new FlakyTrail();
    const trail = new SpoolingAuditTrail(inner, { waitMs: 30, retryMs: 20 });
    inner.mode = 'hang';
    await trail.record(entry('slow'));
    expect(trail.backlog).toBe(1);
    inner.mode = 'ok';
    inner.releaseHung();
    await waitUntil('the spool to empty', () => trail.backlog === 0);
    expect(inner.written).toEqual(['slow']);
    trail.stop();
  });

  it('stays bounded, dropping the oldest rows', async () => {
    const inner = new FlakyTrail();
    inner.mode = 'fail';
    const dropped: string[] = [];
    const trail = new SpoolingAuditTrail(inner, {
      waitMs: 10,
      retryMs: 10_000,
      maxRows: 2,
      onDrop: (e) => dropped.push(e.text),
    });
    for (const t of ['1', '2', '3']) await trail.record(entry(t));
    expect(trail.backlog).toBe(2);
    expect(dropped).toEqual(['1']);
    trail.stop();
  });
});

describe('REDIS_URL for a cluster', () => {
  it('reads redis+cluster:// seed nodes', () => {
    expect(isClusterUrl('redis://127.0.0.1:6379')).toBe(false);
    expect(isClusterUrl('rediss+cluster://a:1,b:2')).toBe(true);
    expect(clusterNodes('redis+cluster://user:pw@10.0.0.1:7000,10.0.0.2:7001')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
    ]);
  });
});
