import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';

function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(yaml, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

const ESN = `
environments:
  esn:
    docker: { host: "unix:///var/run/docker.sock", project: esn }
    pm2: {}
    database:
      url: "\${ESN_DATABASE_URL}"
      backup: { dir: /var/backups/esn }
`;

describe('self-hosted environments in ops.yml', () => {
  it('accepts a docker/pm2-only environment and fills the guides’ backup defaults', () => {
    const { config } = parseConfig(ESN, { ESN_DATABASE_URL: 'postgres://esn:pw@db:5432/esn_db' });
    const env = config.environments.esn;
    expect(env.docker).toEqual({ host: 'unix:///var/run/docker.sock', project: 'esn', timeout: 10_000 });
    expect(env.pm2).toEqual({ timeout: 10_000 });
    expect(env.database?.backup).toEqual({
      dir: '/var/backups/esn',
      format: 'sql.gz',
      keep: 30 * 86_400_000,
      schedule: '0 2 * * *',
      timeout: 2 * 3_600_000,
    });
    expect(env.beanstalk).toBeUndefined();
    expect(env.ecs).toBeUndefined();
  });

  it('defaults the docker host to the local socket and takes an S3 copy with an empty prefix', () => {
    const { config } = parseConfig(
      `environments:\n  esn:\n    docker: { project: esn }\n    database: { url: "postgres://x@h/db", backup: { dir: /b, format: custom, s3: { bucket: invoice-backups } } }\n`,
      {},
    );
    expect(config.environments.esn.docker?.host).toBe('unix:///var/run/docker.sock');
    expect(config.environments.esn.database?.backup?.s3).toEqual({
      bucket: 'invoice-backups',
      prefix: '',
      timeout: 3_600_000,
    });
  });

  it('names bad self-hosted fields by path', () => {
    const found = problems(`
environments:
  esn:
    docker: { host: "/var/run/docker.sock", project: ESN }
    pm2: { processes: [] }
    database: { url: "postgres://x@h/db", backup: { dir: backups, format: zip, keep: forever, schedule: "every night", channel: "#ops" } }
`);
    const paths = found.map((p) => p.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'environments.esn.docker.host',
        'environments.esn.docker.project',
        'environments.esn.pm2.processes',
        'environments.esn.database.backup.dir',
        'environments.esn.database.backup.format',
        'environments.esn.database.backup.keep',
        'environments.esn.database.backup.schedule',
        'environments.esn.database.backup.channel',
      ]),
    );
  });
});
