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
