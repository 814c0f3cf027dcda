#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, formatProblem, loadConfigFile } from './config/load.js';
import { readRuntimeEnv } from './config/runtime-env.js';
import { createLogger } from './log.js';
import { Runtime } from './runtime.js';
import { migrate } from './store/migrate.js';
import { runCommandInTerminal } from './cli/run-command.js';
import { redactSecrets } from './redact.js';
import { createPool } from './store/pool.js';
import { AuditRepository } from './store/audit.js';
import { auditExport, auditVerify } from './cli/audit.js';

const USAGE = `Usage: opsbot <command>

  serve                    HTTP + Slack + an in-process job worker (default)
  worker                   job workers only; run as many as you like
  run "<command text>"     run one /ops command here [--as U0123] [--json] [--yes]
  check-config             validate ops.yml and the environment, print every problem
  migrate                  apply database migrations
  audit verify             walk the audit trail's hash chain; names the first row altered or removed
  audit export             --since 7d [--format jsonl|csv]: who, what, where, plan, approvers, outcome

Environment: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or SLACK_APP_TOKEN, SLACK_API_URL,
PORT, DATABASE_URL, REDIS_URL, OPS_CONFIG (default ./ops.yml). See README.md.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      as: { type: 'string' },
      json: { type: 'boolean' },
      yes: { type: 'boolean' },
      since: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [sub = 'serve', ...rest] = positionals;
  if (values.help || sub === 'help') {
    console.log(USAGE);
    return 0;
  }
  switch (sub) {
    case 'check-config':
      return checkConfig();
    case 'migrate': {
      const env = readRuntimeEnv(process.env, { needSlack: false });
      const applied = await migrate(env.databaseUrl, createLogger(env.logLevel));
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      return 0;
    }
    case 'audit':
      return audit(rest[0], values);
    case 'serve':
    case 'worker':
      return serve(sub === 'serve');
    case 'run': {
      if (rest.length === 0) {
        console.error('opsbot run needs the command text, e.g. opsbot run "health prod"');
        return 2;
      }
      const env = readRuntimeEnv(process.env, { needSlack: false });
      const { config } = await loadConfigFile(configPath(env), process.env);
      const runtime = new Runtime({
        env,
        config,
        log: createLogger(process.env.LOG_LEVEL ?? 'warn'),
        slack: Boolean(process.env.SLACK_BOT_TOKEN),
      });
      try {
        for (const problem of await runtime.prepareWhatYouCan()) console.error(`opsbot: ${problem}`);
        return await runCommandInTerminal(runtime, rest.join(' '), values, process.stdout);
      } finally {
        await runtime.close();
      }
    }
    default:
      console.error(`unknown command "${sub}"\n\n${USAGE}`);
      return 2;
  }
}

/** `opsbot audit verify|export`: needs only DATABASE_URL. */
async function audit(verb: string | undefined, values: { since?: string; format?: string }): Promise<number> {
  if (verb !== 'verify' && verb !== 'export') {
    console.error(
      'opsbot audit needs a verb: `opsbot audit verify` or `opsbot audit export --since 7d --format jsonl`',
    );
    return 2;
  }
  const env = readRuntimeEnv(process.env, { needSlack: false });
  const pool = createPool(env.databaseUrl, { max: 2 });
  try {
    const repo = new AuditRepository(pool);
    return verb === 'verify'
      ? await auditVerify(repo, process.stdout)
      : await auditExport(repo, values, process.stdout, process.stderr);
  } finally {
    await pool.end();
  }
}

/** ./ops.yml, or the annotated example when a fresh checkout has none yet (so `npm start` runs on defaults). */
function configPath(env: { opsConfigPath: string }): string {
  if (process.env.OPS_CONFIG || existsSync(env.opsConfigPath)) return env.opsConfigPath;
  const example = fileURLToPath(new URL('../../ops.example.yml', import.meta.url));
  const fallback = existsSync(example) ? example : fileURLToPath(new URL('../ops.example.yml', import.meta.url));
  console.error(`opsbot: no ops.yml here; using ${fallback}. Copy it to ops.yml to make it yours.`);
  return fallback;
}

async function checkConfig(): Promise<number> {
  const path = configPath({ opsConfigPath: process.env.OPS_CONFIG ?? './ops.yml' });
  const { config, warnings } = await loadConfigFile(path, process.env);
  const envs = Object.keys(config.environments);
  console.log(
    `${path} is valid: ${envs.length} environment${envs.length === 1 ? '' : 's'} (${envs.join(', ')}), ${config.access.rules.length} access rule(s), ${Object.keys(config.checklists).length} checklist(s).`,
  );
  for (const w of warnings) console.log(`warning: ${formatProblem(w)}`);
  try {
    readRuntimeEnv(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) console.log(`note: ${formatProblem(p)} (needed by "opsbot serve")`);
  }
  return 0;
}

async function serve(withSlack: boolean): Promise<number> {
  const env = readRuntimeEnv(process.env);
  const log = createLogger(env.logLevel);
  const { config, warnings } = await loadConfigFile(configPath(env), process.env);
  for (const w of warnings) log.warn({ path: w.path }, `config: ${formatProblem(w)}`);
  const runtime = new Runtime({ env, config, log });
  await runtime.prepare({ runMigrations: withSlack });
  const inProcessWorker = process.env.OPSBOT_WORKER !== 'off';
  if (!withSlack || inProcessWorker) await runtime.startWorker();
  if (withSlack) {
    const port = await runtime.startSlack();
    log.info({ port, mode: env.slackAppToken ? 'socket' : 'http', worker: inProcessWorker }, 'opsbot is listening');
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal, graceMs: env.shutdownGraceMs }, 'shutting down');
      // A second signal means "now": skip the grace.
      process.once(signal, () => {
        log.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(1);
      });
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await runtime.close({ graceMs: env.shutdownGraceMs });
  log.info('opsbot stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    console.error(`opsbot: ${redactSecrets(err instanceof Error ? err.message : String(err))}`);
    process.exit(1);
  },
);
