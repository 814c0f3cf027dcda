import { describe, expect, it } from 'vitest';
import { Fleet } from '../../src/sandbox/aws/fleet.js';
import { beanstalk } from '../../src/sandbox/aws/beanstalk.js';
import { rds } from '../../src/sandbox/aws/rds.js';
import { cloudwatch } from '../../src/sandbox/aws/cloudwatch.js';
import { LATENCY_INCIDENT } from '../../src/sandbox/aws/signals.js';

type Out = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fleet whose clock we move: inside the first latency incident. */
function fleetAt(offsetMs: number) {
  let now = 1_790_000_000_000;
  const fleet = new Fleet({ now: () => now });
  now += offsetMs;
  return fleet;
}
const call = async (h: Record<string, unknown>, op: string, fleet: Fleet, input: Out = {}) =>
  (await (h[op] as (i: Out, f: Fleet) => Out | Promise<Out>)(input, fleet)) as Out;

describe("the demo's simulated AWS agrees with itself (issue 14)", () => {
  const during = LATENCY_INCIDENT.firstAfterMs + 30_000;

  it('DescribeEnvironments and DescribeEnvironmentHealth give the same health', async () => {
    const fleet = fleetAt(during);
    const env = (await call(beanstalk, 'DescribeEnvironments', fleet, {})).Environments[0];
    const health = await call(beanstalk, 'DescribeEnvironmentHealth', fleet, { EnvironmentName: env.EnvironmentName });
    expect(health.Color).toBe('Red');
    expect([env.Health, env.HealthStatus]).toEqual([health.Color, health.HealthStatus]);
  });

  it('answers DescribeEvents newest first, as AWS does', async () => {
    const fleet = fleetAt(during);
    const { Events } = await call(beanstalk, 'DescribeEvents', fleet, { MaxRecords: 5 });
    const dates = Events.map((e: Out) => new Date(e.EventDate).getTime());
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('gives alarm reasons whose datapoints are the ones the metric returns', async () => {
    const fleet = fleetAt(during);
    const { MetricAlarms } = await call(cloudwatch, 'DescribeAlarms', fleet, { StateValue: 'ALARM' });
    expect(MetricAlarms.length).toBeGreaterThan(0);
    for (const a of MetricAlarms) {
      const m = /\[(.+)\]/.exec(a.StateReason)!;
      const points = m[1].split(', ').map((p: string) => Number(p.split(' ')[0]));
      expect(points).toHaveLength(a.DatapointsToAlarm);
      const word = a.ComparisonOperator === 'LessThanThreshold' ? 'less' : 'greater';
      expect(a.StateReason).toContain(`were ${word} than the threshold`);
      for (const v of points) expect(word === 'greater' ? v > a.Threshold : v < a.Threshold).toBe(true);
    }
  });

  it("has taken today's daily snapshot once its time has passed: no backup looks missed", async () => {
    const fleet = fleetAt(0); // 13:33 UTC, after the 03:00 snapshot
    const { DBSnapshots } = await call(rds, 'DescribeDBSnapshots', fleet, { SnapshotType: 'automated' });
    const newest = Math.max(...DBSnapshots.map((s: Out) => new Date(s.SnapshotCreateTime).getTime()));
    expect(fleet.now() - newest).toBeLessThan(24 * 3_600_000);
    expect(new Date(newest).toISOString().slice(11, 16)).toBe('03:00');
  });
});
