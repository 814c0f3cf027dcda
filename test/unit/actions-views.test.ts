import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/load.js';
import { actionTiming, nameStamp } from '../../src/aws/action-follow.js';
import { resolveTarget } from '../../src/aws/action-target.js';
import { backupSnapshotName, newInstanceName } from '../../src/aws/snapshots.js';
import { compareCounts } from '../../src/backup/row-counts.js';
import { renderRolloutDone, rollbackEffect, rolloutFailure } from '../../views/rollback.js';
import { renderScaleDone, scaleEffect } from '../../views/scale.js';
import { renderRestoreDone, renderSnapshotList, verificationFailure } from '../../views/backups.js';
import { renderReplyAsText } from '../../views/plain-text.js';

const at = new Date('2026-11-23T09:12:34Z');

describe('names and timing', () => {
  it('names snapshots and new instances as the runbooks do, within RDS limits', () => {
    expect(nameStamp(at)).toBe('20261123-0912');
    expect(backupSnapshotName('prod', at)).toBe('opsbot-prod-20261123-0912');
    expect(newInstanceName('expo-project-prod-db', 'restored', at)).toBe('expo-project-prod-db-restored-20261123-0912');
    const long = newInstanceName('a-very-long-database-instance-identifier-that-goes-on-and-on', 'restored', at);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z][a-z0-9-]*-restored-20261123-0912$/);
    expect(long).not.toContain('--');
  });

  it('reads polling and timeouts from ops.yml, with defaults, and refuses limits beyond the job hard limit', () => {
    const { config } = parseConfig(
      'environments:\n  prod:\n    actions: { pollInterval: 5s, snapshotTimeout: 90m }\n  staging: {}\n',
      {},
    );
    expect(actionTiming(config.environments.prod)).toMatchObject({
      pollIntervalMs: 5000,
      snapshotTimeoutMs: 90 * 60_000,
      rolloutTimeoutMs: 30 * 60_000,
    });
    expect(actionTiming(config.environments.staging).pollIntervalMs).toBe(15_000);
    expect(() => parseConfig('environments:\n  prod:\n    actions: { rolloutTimeout: 3h }\n', {})).toThrow(ConfigError);
  });

  it('picks Beanstalk, the only ECS service, or asks which service', () => {
    const { config } = parseConfig(
      'environments:\n  eb:\n    beanstalk: { application: a, environment: a-prod }\n  one:\n    ecs: { cluster: c, services: [web] }\n  two:\n    ecs: { cluster: c, services: [web, worker] }\n  none: {}\n',
      {},
    );
    const envs = config.environments;
    expect(resolveTarget('eb', envs.eb, undefined, 'u')).toEqual({
      kind: 'beanstalk',
      application: 'a',
      environment: 'a-prod',
    });
    expect(resolveTarget('one', envs.one, undefined, 'u')).toEqual({ kind: 'ecs', cluster: 'c', service: 'web' });
    expect(() => resolveTarget('two', envs.two, undefined, 'u')).toThrow(/has 2 ECS services; say which one/);
    expect(() => resolveTarget('two', envs.two, 'api', 'u')).toThrow(/no ECS service `api`/);
    expect(() => resolveTarget('none', envs.none, undefined, 'u')).toThrow(/neither Elastic Beanstalk nor ECS/);
  });
});

describe('row-count comparison', () => {
  it('allows drift within the tolerance and fails missing, empty or far-off tables', () => {
    const checks = compareCounts(
      ['a', 'b', 'c', 'd'],
      new Map<string, number | null>([
        ['a', 98],
        ['b', null],
        ['c', 0],
        ['d', 50],
      ]),
      new Map<string, number | null>([
        ['a', 100],
        ['b', 10],
        ['c', 10],
        ['d', 100],
      ]),
      5,
    );
    expect(checks.map((c) => c.ok)).toEqual([true, false, false, false]);
    expect(checks[1].note).toBe('missing from the restored copy');
    expect(checks[2].note).toBe('restored empty');
    expect(checks[3].note).toBe('-50 rows (more than 5% off)');
    expect(compareCounts(['a'], new Map([['a', 3]]), undefined, 5)[0]).toMatchObject({
      ok: true,
      note: 'no live database to compare with',
    });
  });
});

describe('action views', () => {
  it('states a rollback effect concretely and offers the way back when done', () => {
    expect(rollbackEffect('ECS service `backend`', 'web:42', 'web:41')).toBe(
      'ECS service `backend`: `web:42` → `web:41`',
    );
    const done = renderRolloutDone({
      action: 'rollback',
      env: 'prod',
      target: 'ECS service `backend`',
      from: 'web:42',
      to: 'web:41',
      ok: true,
      state: 'COMPLETED — 2/2 tasks',
      events: [],
    });
    expect(JSON.stringify(done.blocks)).toContain('/ops rollback prod web:42 --service backend');
    expect(done.tone).toBe('ok');
  });

  it('puts events and stopped tasks in a failure, unescaped (the job machinery escapes once)', () => {
    const failure = rolloutFailure({
      action: 'restart',
      env: 'prod',
      target: 'ECS service `backend`',
      ok: false,
      state: 'FAILED',
      reason: 'circuit breaker',
      events: [{ message: 'tasks failed <health check>', severity: 'ERROR' }],
      stoppedTasks: [
        { id: 't1', stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 137 }] },
      ],
    });
    expect(failure.message).toBe('Restart of ECS service `backend` failed: circuit breaker');
    expect(failure.hint).toContain('tasks failed <health check>');
    expect(failure.hint).toContain('app exit 137');
  });

  it('warns loudly about scaling to zero', () => {
    expect(scaleEffect('ECS service `backend`', 'ecs', 4, 0)).toBe(
      'ECS service `backend` desired count 4 → 0 — *nothing will serve traffic*',
    );
    expect(scaleEffect('Elastic Beanstalk `env`', 'beanstalk', 2, 3)).toBe(
      'Elastic Beanstalk `env` instances (Auto Scaling min = max) 2 → 3',
    );
    const done = renderScaleDone({
      env: 'prod',
      target: 'ECS service `backend`',
      kind: 'ecs',
      from: 2,
      to: 0,
      running: 0,
      events: [],
    });
    expect(done.tone).toBe('warning');
    expect(JSON.stringify(done.blocks)).toContain('`■■` → `∅`');
  });

  it('lists snapshots with age, size and type, and flags a stale newest one', () => {
    const now = new Date('2026-11-26T09:00:00Z');
    const reply = renderSnapshotList({
      env: 'prod',
      instance: 'db',
      now,
      freshness: { periodMs: 86_400_000, marginMs: 7_200_000 },
      snapshots: [
        {
          id: 'opsbot-prod-x',
          instance: 'db',
          status: 'creating',
          type: 'manual',
          createdAt: now,
          sizeGb: 20,
          percent: 40,
        },
        { id: 'rds:db-2026-11-23', instance: 'db', status: 'available', type: 'automated', createdAt: at, sizeGb: 20 },
      ],
    });
    const text = JSON.stringify(reply.blocks);
    expect(reply.tone).toBe('danger');
    expect(text).toContain('older than one backup period (1 day) plus 2h');
    // The snapshots are a table block; its text rendering keeps each row on one line.
    expect(reply.blocks.filter((b) => b.type === 'table')).toHaveLength(1);
    expect(renderReplyAsText(reply)).toMatch(/✓ available\s+rds:db-2026-11-23\s+automated\s+3 days ago\s+20 GiB/);
    expect(text).toContain('▰▰▰▰▱▱▱▱▱▱ 40%');
    expect(text).toContain('No backup has been verified yet');
  });

  it('says where the restored instance is and what to change', () => {
    const text = JSON.stringify(
      renderRestoreDone({
        env: 'prod',
        snapshot: 's1',
        newId: 'db-restored-20261123-0912',
        live: 'db',
        endpoint: { address: 'db-restored.abc.rds.amazonaws.com', port: 5432 },
      }).blocks,
    );
    expect(text).toContain('db-restored.abc.rds.amazonaws.com:5432');
    expect(text).toContain('DATABASE_URL');
  });

  it('lists each table check in a failed verification', () => {
    const f = verificationFailure({
      env: 'prod',
      method: 'logical',
      source: '/b/x.dump',
      ok: false,
      summary: '1 of 2 failed',
      checks: [{ table: 'orders', restored: 1, live: 100, ok: false, note: 'far off' }],
      cleanup: 'dropped',
      finishedAt: at,
      durationMs: 10,
    });
    expect(f.hint).toContain('✗ orders: 1 restored / 100 live (far off)');
    expect(f.hint).toContain('Cleanup: dropped');
  });
});
