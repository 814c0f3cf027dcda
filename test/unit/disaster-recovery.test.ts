import { describe, expect, it } from 'vitest';
import { checkRestoreTime, pointInTimeInstanceName, type RestorableWindow } from '../../src/aws/point-in-time.js';
import { arnRegion, copyKmsKey, copySnapshotName, requireKmsKeyFor } from '../../src/aws/snapshot-copy.js';
import { parseRestoreTime } from '../../commands/restore-pitr.js';
import { drLastLine, drObjectiveLine, drPassed, drSpan, renderDrReport } from '../../views/dr-test.js';
import { parseConfig } from '../../src/config/load.js';

const window: RestorableWindow = {
  instance: 'shop-db',
  earliest: new Date('2026-11-16T09:00:00Z'),
  latest: new Date('2026-11-23T09:55:00Z'),
  retentionDays: 7,
};

describe('point-in-time restore times', () => {
  it('reads ISO times, UTC when no zone is given, offsets, and "latest"', () => {
    expect(parseRestoreTime('2026-11-23T09:12:00Z', window).toISOString()).toBe('2026-11-23T09:12:00.000Z');
    expect(parseRestoreTime('2026-11-23 09:12', window).toISOString()).toBe('2026-11-23T09:12:00.000Z');
    expect(parseRestoreTime('2026-11-23T10:12:00+01:00', window).toISOString()).toBe('2026-11-23T09:12:00.000Z');
    expect(parseRestoreTime('latest', window)).toEqual(window.latest);
    expect(() => parseRestoreTime('last tuesday', window)).toThrow('`last tuesday` is not a time');
    expect(() => parseRestoreTime('2026-13-45T99:99Z', window)).toThrow('is not a time');
  });

  it('accepts the window edges and refuses beyond them with the allowed range', () => {
    expect(() => checkRestoreTime(window, window.latest!)).not.toThrow();
    expect(() => checkRestoreTime(window, window.earliest!)).not.toThrow();
    expect(() => checkRestoreTime(window, new Date('2026-11-23T09:56:00Z'))).toThrow(
      'is after the latest restorable time of `shop-db` (2026-11-23 09:55 UTC)',
    );
    try {
      checkRestoreTime(window, new Date('2026-11-10T00:00:00Z'));
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain('before the earliest restorable time');
      expect((err as { hint?: string }).hint).toBe('Pick a time from 2026-11-16 09:00 UTC to 2026-11-23 09:55 UTC.');
    }
    expect(() => checkRestoreTime({ ...window, retentionDays: 0, latest: undefined }, window.latest!)).toThrow(
      'Point-in-time restore is not enabled',
    );
  });

  it('names the new instance after the minute restored to, within 63 characters', () => {
    expect(pointInTimeInstanceName('shop-db', new Date('2026-11-23T09:12:45Z'))).toBe('shop-db-pitr-202611230912');
    const long = pointInTimeInstanceName(`a${'-b'.repeat(40)}`, new Date('2026-11-23T09:12:00Z'));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^a[-b]*[^-]-pitr-202611230912$/);
  });
});

describe('cross-region copies', () => {
  it('names copies by region and time, reads ARN regions, picks the key per region', () => {
    expect(copySnapshotName('rds:shop-db-2026-11-23-03-10', 'us-west-2', new Date('2026-11-23T10:00:00Z'))).toBe(
      'shop-db-2026-11-23-03-10-us-west-2-20261123-1000',
    );
    expect(arnRegion('arn:aws:rds:eu-central-1:123456789012:snapshot:x')).toBe('eu-central-1');
    expect(copyKmsKey('alias/dr', 'us-west-2')).toBe('alias/dr');
    expect(copyKmsKey({ 'us-west-2': 'k-west' }, 'us-west-2')).toBe('k-west');
    expect(copyKmsKey({ 'us-west-2': 'k-west' }, 'eu-west-1')).toBeUndefined();
    const snap = { id: 's1', instance: 'i', status: 'available', type: 'manual', sizeGb: 1 };
    expect(() => requireKmsKeyFor({ ...snap, encrypted: true }, 'eu-west-1', undefined, 'prod')).toThrow(
      'needs a KMS key of eu-west-1',
    );
    expect(() => requireKmsKeyFor({ ...snap, encrypted: false }, 'eu-west-1', undefined, 'prod')).not.toThrow();
  });

  it('validates dr and backup.copyKmsKey in ops.yml', () => {
    const { config } = parseConfig(
      `environments:\n  prod:\n    dr: { rto: 20m, method: point-in-time }\n    backup: { copyKmsKey: { us-west-2: alias/dr } }\n`,
      {},
    );
    expect(config.environments.prod.dr).toEqual({ rto: 20 * 60_000, rpo: 5 * 60_000, method: 'point-in-time' });
    expect(() => parseConfig(`environments:\n  prod:\n    backup: { copyKmsKey: { west: alias/dr } }\n`, {})).toThrow(
      /AWS region/,
    );
    expect(() => parseConfig(`environments:\n  prod:\n    dr: { method: tape }\n`, {})).toThrow(/dr/);
  });
});

describe('DR report', () => {
  it('passes only when every line holds, and the verdict names the failed lines', () => {
    const lines = [
      { ok: true, text: 'copy available' },
      drObjectiveLine('RTO', 20 * 60_000, 15 * 60_000, 'restore requested → available'),
      drObjectiveLine('RPO', 4 * 60_000, 5 * 60_000, 'age of the snapshot'),
    ];
    expect(drPassed(lines)).toBe(false);
    expect(drPassed([])).toBe(false);
    const reply = renderDrReport({
      env: 'prod',
      method: 'snapshot',
      source: 's1',
      startedAt: new Date('2026-11-23T10:00:00Z'),
      rtoMs: 20 * 60_000,
      rpoMs: 4 * 60_000,
      rtoTargetMs: 15 * 60_000,
      rpoTargetMs: 5 * 60_000,
      lines,
      passed: drPassed(lines),
    });
    expect(reply.verdict).toBe('bad');
    expect(reply.text).toBe('DR test of prod failed: RTO 20m (restore requested → available) over the target of 15m');
  });

  it('spans and the last-test line', () => {
    expect([45_000, 12 * 60_000 + 5000, 63 * 60_000, 52 * 3_600_000].map(drSpan)).toEqual([
      '45s',
      '12m 5s',
      '1h 3m',
      '2d 4h',
    ]);
    const now = new Date('2026-11-26T10:00:00Z');
    expect(drLastLine(undefined, now, 'prod')).toContain('none recorded — run `/ops dr test prod`');
    expect(
      drLastLine(
        {
          passed: false,
          finishedAt: new Date('2026-11-23T10:00:00Z'),
          rtoMs: undefined,
          rpoMs: 60_000,
          rtoTargetMs: 15 * 60_000,
          rpoTargetMs: 5 * 60_000,
        },
        now,
        'prod',
      ),
    ).toBe(':red_circle: *Last DR test:* 3d ago (2026-11-23 10:00 UTC), RTO not measured / 15m, RPO 1m / 5m, failed');
  });
});
