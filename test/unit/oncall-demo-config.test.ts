import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';

it('the demo configuration has an on-call schedule, so /ops oncall works in the playground', () => {
  const text = readFileSync(new URL('../../src/sandbox/demo.ops.yml', import.meta.url), 'utf8');
  const env = {
    DEMO_APP_URL: 'http://127.0.0.1:1',
    DEMO_APP_DATABASE_URL: 'postgres://demo@127.0.0.1:1/app',
    DEMO_REDIS_URL: 'redis://127.0.0.1:1',
  };
  const { config } = parseConfig(text, env);
  expect(Object.keys(config.oncall!.schedules)).toEqual(['platform']);
  expect(config.oncall!.policies.P1.steps.map((s) => s.after)).toEqual([0, 60_000, 120_000]);
});

it('the complete example in docs/oncall.md is a valid configuration with every part of on-call', () => {
  const doc = readFileSync(new URL('../../docs/oncall.md', import.meta.url), 'utf8');
  const example = /## A complete example\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(example, 'docs/oncall.md has a yaml block under "A complete example"').toBeTruthy();
  const { config } = parseConfig(example!, { PAGERDUTY_ROUTING_KEY: 'R'.repeat(32), OPSGENIE_API_KEY: 'og-key' });
  const oncall = config.oncall!;
  const platform = oncall.schedules.platform;
  expect(platform.usergroup).toBeTruthy();
  expect(platform.channel).toBeTruthy();
  expect(Object.keys(platform.layers)).toEqual(['primary', 'secondary', 'daytime']);
  expect(platform.layers.daytime.restrictions).toBe('business-hours');
  expect(oncall.policies.P1.repeat).toBe('until-acknowledged');
  expect(oncall.pagers.pagerduty?.routingKey).toHaveLength(32);
  expect(oncall.pagers.opsgenie?.apiKey).toBe('og-key');
});
