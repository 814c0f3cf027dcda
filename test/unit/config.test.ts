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
    expect(config.environments.prod.thresholds).toMatchObject({
      cpuPercent: 70,
      memoryPercent: 80,
      dbConnectionsPercent: 80,
      freeStorageGb: 5,
      p95LatencyMs: 500,
      errorRatePercent: 1,
    });
    expect(config.incidents.severities.P0.respondWithin).toBe(15 * 60_000);
    expect(config.incidents.severities.P1.respondWithin).toBe(60 * 60_000);
    expect(config.incidents.severities.P2.respondWithin).toBe(4 * 60 * 60_000);
    expect(config.probes.timeout).toBe(3000);
    expect(config.timezone).toBe('UTC');
  });

  it('keeps given thresholds and defaults the rest', () => {
    const { config } = parseConfig('environments:\n  prod: { thresholds: { cpuPercent: 60 } }\n', {});
    expect(config.environments.prod.thresholds.cpuPercent).toBe(60);
    expect(config.environments.prod.thresholds.memoryPercent).toBe(80);
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
