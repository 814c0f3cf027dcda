import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { UserError } from '../../src/errors.js';
import { AwsSession, settle, type Settled } from '../../src/aws/session.js';
import { describeEbEnvironment, describeEbVersions } from '../../src/aws/beanstalk.js';
import {
  describeEcsServices,
  describeTaskDefinition,
  listTaskDefinitionRevisions,
  parseTaskDefinition,
  shortTaskDefinition,
  type EcsTaskDefinition,
} from '../../src/aws/ecs.js';
import { previousEbVersion, previousRevision } from '../../src/aws/rollback-target.js';
import {
  renderDeployHistory,
  type DeployHistoryView,
  type EcsHistoryView,
  type EcsRevisionView,
  type EcsServiceHistoryView,
} from '../../views/deploy-history.js';

/** Images are shown for the newest few revisions only: one DescribeTaskDefinition call each. */
const DESCRIBED_REVISIONS = 5;

async function familyRevisions(s: AwsSession, family: string): Promise<EcsRevisionView[]> {
  const arns = await listTaskDefinitionRevisions(s, family, 10);
  const described = await Promise.all(
    arns.slice(0, DESCRIBED_REVISIONS).map((arn) => settle(describeTaskDefinition(s, arn))),
  );
  return arns.map((arn, i) => {
    const d: Settled<EcsTaskDefinition> | undefined = described[i];
    return {
      arn,
      revision: parseTaskDefinition(arn).revision,
      registeredAt: d?.ok ? d.value.registeredAt : undefined,
      images: d?.ok ? d.value.images : [],
    };
  });
}

export const deployHistory = defineCommand({
  name: 'deploy history',
  summary:
    'Beanstalk application versions or ECS task definition revisions, which one is live, and what a rollback would go back to',
  usage: '[env]',
  examples: ['deploy history', 'deploy history staging'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const { env } = ctx;
    if (!env.beanstalk && !env.ecs) {
      throw new UserError(
        `\`${ctx.envName}\` has no deployments to show.`,
        'Add `beanstalk: { application, environment }` or `ecs: { cluster, services: [...] }` to this environment in ops.yml.',
      );
    }
    const started = Date.now();
    const s = ctx.aws();
    const eb = env.beanstalk;
    const ecs = env.ecs;

    const ebWork = eb
      ? Promise.all([
          settle(describeEbEnvironment(s, eb.application, eb.environment)),
          settle(describeEbVersions(s, eb.application, 15)),
        ])
      : undefined;
    const ecsWork = ecs
      ? (async (): Promise<EcsHistoryView> => {
          const svc = await settle(describeEcsServices(s, ecs.cluster, ecs.services, 0));
          if (!svc.ok) return { cluster: ecs.cluster, services: svc, families: {}, missing: [] };
          const services: EcsServiceHistoryView[] = svc.value.services.map((x) => {
            const { family, revision } = parseTaskDefinition(x.taskDefinition);
            const primary = x.deployments.find((d) => d.status === 'PRIMARY');
            const unfinished =
              primary && (primary.rolloutState ? primary.rolloutState !== 'COMPLETED' : x.deployments.length > 1);
            const inFlight = unfinished
              ? {
                  taskDefinition: shortTaskDefinition(primary.taskDefinition),
                  state: primary.rolloutState ?? 'IN_PROGRESS',
                }
              : undefined;
            return { service: x.name, running: shortTaskDefinition(x.taskDefinition), family, revision, inFlight };
          });
          const families = [...new Set(services.map((x) => x.family))];
          const revisions = await Promise.all(
            families.map(async (f) => [f, await settle(familyRevisions(s, f))] as const),
          );
          for (const x of services) {
            const revs = revisions.find(([f]) => f === x.family)?.[1];
            if (revs?.ok) x.rollbackTo = previousRevision(revs.value, x.revision)?.revision;
          }
          return {
            cluster: ecs.cluster,
            services: { ok: true, value: services },
            families: Object.fromEntries(revisions),
            missing: svc.value.missing.map((m) => m.name),
          };
        })()
      : undefined;

    const [ebR, ecsR] = await Promise.all([ebWork, ecsWork]);
    const view: DeployHistoryView = {
      env: ctx.envName,
      region: s.region,
      checkedAt: ctx.services.clock(),
      tookMs: Date.now() - started,
      notes: s.notes,
    };
    if (eb && ebR) {
      const [live, versions] = ebR;
      const liveLabel = live.ok ? live.value.versionLabel : undefined;
      view.beanstalk = {
        application: eb.application,
        environment: eb.environment,
        live,
        versions,
        rollbackTo: versions.ok ? previousEbVersion(versions.value, liveLabel)?.label : undefined,
      };
    }
    if (ecsR) view.ecs = ecsR;
    return renderDeployHistory(view);
  },
});
