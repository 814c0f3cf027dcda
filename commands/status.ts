import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { UserError } from '../src/errors.js';
import { settle } from '../src/aws/session.js';
import { describeEbEnvironment, describeEbEvents, describeEbHealth } from '../src/aws/beanstalk.js';
import { describeEcsServices, recentStoppedTasks } from '../src/aws/ecs.js';
import { describeRdsInstance, latestFreeStorageGb } from '../src/aws/rds.js';
import { renderStatus, type StatusView } from '../views/status.js';
import { withSelfHostedStatus } from './self-hosted/status.js';
import { lastDr } from './dr/last.js';

const statusAws = defineCommand({
  name: 'status',
  summary: 'Elastic Beanstalk / ECS health, deployments and events, and the RDS instance, verdict first',
  usage: '[env]',
  examples: ['status', 'status staging'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const { env } = ctx;
    if (!env.beanstalk && !env.ecs && !env.rds) {
      throw new UserError(
        `\`${ctx.envName}\` has nothing for /ops status to look at.`,
        'Add `beanstalk: { application, environment }`, `ecs: { cluster, services: [...] }` or `rds: { instance }` to this environment in ops.yml.',
      );
    }
    const started = Date.now();
    const now = ctx.services.clock();
    const s = ctx.aws();

    // Every fact is independent: fetch them all at once, each under the shared deadline.
    const eb = env.beanstalk;
    const ebParts = eb
      ? Promise.all([
          settle(describeEbEnvironment(s, eb.application, eb.environment)),
          settle(describeEbHealth(s, eb.environment)),
          settle(describeEbEvents(s, eb.application, eb.environment, 10)),
        ])
      : undefined;
    const ecs = env.ecs;
    const ecsParts = ecs
      ? Promise.all([
          settle(describeEcsServices(s, ecs.cluster, ecs.services)),
          Promise.all(
            ecs.services.map(
              async (name) => [name, await settle(recentStoppedTasks(s, ecs.cluster, name, 3))] as const,
            ),
          ),
        ])
      : undefined;
    const rds = env.rds;
    const rdsParts = rds
      ? Promise.all([settle(describeRdsInstance(s, rds.instance)), settle(latestFreeStorageGb(s, rds.instance, now))])
      : undefined;

    const [ebR, ecsR, rdsR, lastDrTest] = await Promise.all([ebParts, ecsParts, rdsParts, rds && lastDr(ctx)]);
    const view: StatusView = {
      env: ctx.envName,
      region: s.region,
      checkedAt: now,
      tookMs: Date.now() - started,
      notes: s.notes,
    };
    if (eb && ebR)
      view.beanstalk = {
        application: eb.application,
        environment: eb.environment,
        env: ebR[0],
        health: ebR[1],
        events: ebR[2],
      };
    if (ecs && ecsR) view.ecs = { cluster: ecs.cluster, services: ecsR[0], stopped: Object.fromEntries(ecsR[1]) };
    if (rds && rdsR)
      view.rds = {
        instance: rds.instance,
        db: rdsR[0],
        freeGb: rdsR[1],
        freeStorageGb: env.thresholds.db.freeStorageGb.warn,
      };
    if (rds && lastDrTest !== undefined) view.lastDrTest = lastDrTest;
    return renderStatus(view);
  },
});

/** The same command for self-hosted environments too (commands/self-hosted). */
export const status = withSelfHostedStatus(statusAws);
