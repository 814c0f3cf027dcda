import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { readRuntimeEnv } from '../../src/config/runtime-env.js';

function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(yaml, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('ops.yml', () => {
  it('fills defaults from the guides', () => {
    const { config } = parseConfig('environments:\n  prod: {}\n', {});
    const t = config.environments.prod.thresholds;
    // Each component its own lines (src/config/defaults.ts names the guide of each).
    expect(t.app.cpuPercent).toEqual({ warn: 60, critical: 80, forMs: 600_000 });
    expect(t.app.memoryPercent).toMatchObject({ warn: 70, critical: 90 });
    expect(t.db.cpuPercent).toMatchObject({ warn: 70, critical: 90 });
    expect(t.db.connectionsPercent).toMatchObject({ warn: 80, critical: 90 });
    expect(t.db.connections).toMatchObject({ warn: 50, critical: 80 });
    expect(t.db.freeStorageGb).toMatchObject({ warn: 5, critical: 2 });
    expect(t.db.bufferCacheHitPercent).toMatchObject({ warn: 99, critical: 90 });
    expect(t.cache.cpuPercent).toMatchObject({ warn: 80, critical: 90 });
    expect(t.app.error5xxPercent).toEqual({ warn: 0.1, critical: 5, forMs: 300_000 });
    expect(t.app.p95LatencyMs).toMatchObject({ warn: 500, critical: 1000 });
    expect(config.incidents.severities.P0.respondWithin).toBe(15 * 60_000);
    expect(config.incidents.severities.P1.respondWithin).toBe(60 * 60_000);
    expect(config.incidents.severities.P2.respondWithin).toBe(4 * 60 * 60_000);
    expect(config.probes.timeout).toBe(3000);
    expect(config.timezone).toBe('UTC');
  });

  it('keeps the old flat keys working as overrides of the warning lines they governed', () => {
    const { config } = parseConfig(
      'environments:\n  prod: { thresholds: { cpuPercent: 75, errorRatePercent: 1, freeStorageGb: 10 } }\n',
      {},
    );
    const t = config.environments.prod.thresholds;
    expect([t.app.cpuPercent.warn, t.db.cpuPercent.warn, t.cache.cpuPercent.warn]).toEqual([75, 75, 75]);
    expect(t.app.cpuPercent.critical).toBe(80);
    expect(t.app.error5xxPercent.warn).toBe(1);
    expect(t.db.freeStorageGb).toMatchObject({ warn: 10, critical: 2 });
    expect(t.app.memoryPercent.warn).toBe(70);
  });

  it('takes per-component lines per environment, most specific winning', () => {
    const { config } = parseConfig(
      `environments:
  prod:
    thresholds:
      cpuPercent: 65
      db: { cpuPercent: { warn: 75, critical: 95, for: 15m }, connections: { warn: 40, critical: 60 } }
  staging: {}
`,
      {},
    );
    const t = config.environments.prod.thresholds;
    expect(t.app.cpuPercent.warn).toBe(65);
    expect(t.db.cpuPercent).toEqual({ warn: 75, critical: 95, forMs: 900_000 });
    expect(t.explicit).toContain('db.connections');
    expect(config.environments.staging.thresholds.db.cpuPercent.warn).toBe(70);
  });

  it('names every bad field with its path', () => {
    const found = problems(`
environments:
  prod:
    health:
      - { name: api, url: "not a url" }
    database: { url: "mysql://x" }
    thresholds: { cpuPercent: 170 }
    colour: blue
channels: { alerts: general }
`);
    expect(found).toContain('environments.prod.health[0].url: expected an http(s) URL');
    expect(found).toContain('environments.prod.database.url: expected a postgres:// URL');
    expect(found.some((p) => p.startsWith('environments.prod.thresholds.cpuPercent:'))).toBe(true);
    expect(found).toContain('environments.prod: unknown field colour');
    expect(found.some((p) => p.startsWith('channels.alerts: expected a Slack channel id'))).toBe(true);
  });

  it('interpolates ${VAR} and ${VAR:-default}, and reports unset variables by path', () => {
    const yaml =
      'environments:\n  prod:\n    database: { url: "${DB_URL}" }\n    redis: { url: "${REDIS:-redis://127.0.0.1:6379}" }\n';
    const { config } = parseConfig(yaml, { DB_URL: 'postgres://u:p@h/db' });
    expect(config.environments.prod.database?.url).toBe('postgres://u:p@h/db');
    expect(config.environments.prod.redis?.url).toBe('redis://127.0.0.1:6379');
    expect(problems(yaml, {})).toContain('environments.prod.database.url: environment variable DB_URL is not set');
  });

  it('rejects access rules that name undefined roles', () => {
    const found = problems(
      'environments: { prod: {} }\naccess:\n  roles: { oncall: { users: [U0AAA] } }\n  rules:\n    - { commands: [rollback], allow: [oncal] }\n',
    );
    expect(found[0]).toMatch(/^access\.rules\[0\]\.allow\[0\]: unknown role "oncal"/);
  });

  it('reports YAML syntax errors and an empty environment list', () => {
    expect(problems('environments: [')[0]).toMatch(/^: YAML/);
    expect(problems('environments: {}\n')).toContain('environments: at least one environment is required');
  });

  it('accepts the shipped example', () => {
    expect(() =>
      parseConfig(readFileSync(new URL('../../ops.example.yml', import.meta.url), 'utf8'), {}),
    ).not.toThrow();
  });
});

describe('runtime environment', () => {
  it('requires a signing secret in HTTP mode but not in Socket Mode', () => {
    expect(() => readRuntimeEnv({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(readRuntimeEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slackAppToken).toBe('xapp-1');
  });

  it('defaults to local services and port 3000', () => {
    const env = readRuntimeEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(env).toMatchObject({
      port: 3000,
      redisUrl: 'redis://127.0.0.1:6379',
      opsConfigPath: './ops.yml',
      redisPrefix: 'opsbot',
    });
  });

  it('rejects a user token in place of a bot token', () => {
    expect(() => readRuntimeEnv({ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_SIGNING_SECRET: 's' })).toThrow(/xoxb-/);
  });
});

describe('docs/defaults.md', () => {
  it('has a row, with its guide, for every metric line in src/config/defaults.ts', async () => {
    const { DEFAULT_LINES } = await import('../../src/config/defaults.js');
    const doc = readFileSync(new URL('../../docs/defaults.md', import.meta.url), 'utf8');
    for (const [component, lines] of Object.entries(DEFAULT_LINES))
      for (const key of Object.keys(lines)) {
        const row = doc.split('\n').find((l) => l.startsWith('|') && l.includes(`${component}.${key}`));
        expect(row, `${component}.${key}`).toMatch(/Expo|ESN|ExpertConnect|Invoice|SoleMate|opsbot/);
      }
  });
});
