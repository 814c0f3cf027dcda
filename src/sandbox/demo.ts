#!/usr/bin/env node
// `npm run demo`: opsbot on one machine with no configuration — its Postgres and
// Redis, a simulated AWS fleet, and a Slack-like playground at /playground.
// Ctrl-C stops everything this started, in reverse order.
import { ConfigError, formatProblem } from '../config/load.js';
import { startDemo, type Demo } from './launch.js';
import { SetupError } from './services.js';
import { captureReplies } from './replies.js';

/** package.json `engines.node`; older Nodes get one clear line instead of the AWS SDK's support warning. */
const MIN_NODE_MAJOR = 22;

async function main(): Promise<void> {
  if (Number(process.versions.node.split('.')[0]) < MIN_NODE_MAJOR) {
    console.error(
      `opsbot demo: Node.js ${MIN_NODE_MAJOR} or later is required (Node 24 LTS recommended); this is ${process.version}.`,
    );
    process.exit(1);
  }
  let demo: Demo | undefined;
  let stoppingSince = 0;
  const shutdown = async (code: number) => {
    if (stoppingSince) return;
    stoppingSince = Date.now();
    console.log('\nopsbot demo: stopping…');
    // Never hang on the way out.
    setTimeout(() => process.exit(code || 1), 30_000).unref();
    await demo?.stop();
    process.exit(code);
  };
  // Ctrl-C reaches us twice under npm/tsx (forwarded and from the terminal):
  // only a second press a moment later means "stop waiting".
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () =>
      stoppingSince && Date.now() - stoppingSince > 1500 ? process.exit(130) : void shutdown(0),
    );
  }
  const port = Number(process.env.PORT ?? 3000);
  console.log('opsbot demo: starting Postgres, Redis and the simulated AWS…');
  try {
    demo = await startDemo({
      port,
      databaseUrl: process.env.DATABASE_URL || undefined,
      redisUrl: process.env.REDIS_URL || undefined,
      configPath: process.env.OPS_CONFIG || undefined,
      logLevel: process.env.LOG_LEVEL ?? 'warn',
    });
  } catch (err) {
    if (err instanceof SetupError) console.error(`\nopsbot demo: ${err.message}\n`);
    else if (err instanceof ConfigError)
      console.error(`\nopsbot demo: ${err.message}\n${err.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    else console.error('\nopsbot demo failed to start:', err);
    process.exit(1);
  }
  if (stoppingSince) return;
  if (process.argv.includes('--replies')) {
    // `npm run demo:replies`: the answers to issue 14's list of wrong replies, then stop.
    await captureReplies(demo, (text) => console.log(text)).catch((err) => console.error('replies failed:', err));
    await shutdown(0);
    return;
  }
  console.log(`
  opsbot demo is running.

    Open  http://localhost:${port}/playground
    Type  /ops help      then  /ops health,  /ops status,  /ops alarms
          /ops rollback  as Alice, then switch to Bob and press Approve

  Bot Postgres: ${demo.postgres.description}
  Redis:        ${demo.redis.description}
  AWS:          simulated at ${demo.aws.url} (Beanstalk, ECS, RDS, CloudWatch, Logs)
  Slack:        the playground's fake Web API (SLACK_API_URL=${demo.fake.url}/api/)

  Ctrl-C stops everything.
`);
}

void main();
