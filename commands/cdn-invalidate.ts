import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import type { CommandContext } from '../src/core/context.js';
import type { Plan } from '../src/core/plan.js';
import { definePlannedJob } from '../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../src/errors.js';
import { actionJob } from '../src/aws/action-job.js';
import { follow, pollSession } from '../src/aws/action-follow.js';
import {
  CLOUDFRONT_METRICS_REGION,
  createInvalidation,
  getDistribution,
  getInvalidation,
} from '../src/aws/cloudfront.js';
import { cloudfrontOf, cloudfrontSession } from './cdn.js';
import { renderInvalidationDone } from '../views/cdn.js';

/** The plan's data and the job's: what is invalidated, and the reference that makes a retry ask for the same one. */
export interface InvalidationJobData {
  env: string;
  distribution: string;
  /** The domain when planned: a different one means the id in ops.yml now names another distribution. */
  domain: string | null;
  paths: string[];
  /** CreateInvalidation's CallerReference, frozen with the plan: a retried job gets the same invalidation back. */
  callerReference: string;
  /** How long the job follows it (cloudfront.invalidationTimeout). */
  timeoutMs: number;
}

/** CloudFront's hard limit per request is 3,000 paths; from chat more than a handful is a mistake. */
const MAX_PATHS = 15;
/** The job's own limit: invalidationTimeout is at most 1 h. */
const JOB_TIMEOUT_MS = 65 * 60_000;

const shortRef = (ref: string) => ref.slice(-8);

export const cdnInvalidateJob = definePlannedJob<InvalidationJobData>({
  name: 'cdn.invalidate',
  timeoutMs: JOB_TIMEOUT_MS,
  // The CallerReference makes CreateInvalidation idempotent: a retry returns the invalidation already made.
  idempotent: true,
  async run(ctx, data) {
    const { timing, following } = actionJob(ctx, data.env);
    // CloudFront is global; its API is signed for us-east-1. Each call gets its own short budget.
    const clients = ctx.services.aws.forRegion(CLOUDFRONT_METRICS_REGION);
    const step = () => pollSession(clients);
    const now = await getDistribution(step(), data.distribution);
    requireUnchanged(
      (now.domain ?? null) === data.domain,
      `\`${data.distribution}\` now serves \`${now.domain ?? '?'}\`, not \`${data.domain ?? '?'}\` as when the invalidation was approved; nothing was invalidated.`,
      `Check \`cloudfront.distribution\` in ops.yml and \`/ops cdn ${data.env}\`, then ask again.`,
    );
    await ctx.progress(3, 'creating the invalidation');
    const started = Date.now();
    const created = await createInvalidation(step(), data.distribution, data.paths, data.callerReference);
    const settings = following(data.timeoutMs, [10, 95]);
    const done = await follow(
      {
        ...settings,
        intervalMs: Math.min(timing.pollIntervalMs, 10_000),
        waitingFor: `invalidation ${created.id} of \`${data.distribution}\` to complete`,
        afterTimeout: `Check it with \`aws cloudfront get-invalidation --distribution-id ${data.distribution} --id ${created.id}\`; until it completes some edge locations may still serve the old files.`,
      },
      async () => {
        const inv =
          created.status === 'Completed' ? created : await getInvalidation(step(), data.distribution, created.id);
        return inv.status === 'Completed'
          ? { done: true, value: { ...inv, paths: data.paths } }
          : { done: false, note: `${inv.status} (invalidation ${inv.id})` };
      },
    );
    return renderInvalidationDone(data.env, data.distribution, done, Date.now() - started);
  },
});

/** "/index.html /static/*" → checked paths; CloudFront wants a leading "/" and a "*" only at the end. */
export function invalidationPaths(text: string | undefined): string[] {
  const paths = [...new Set((text ?? '').split(/\s+/).filter(Boolean))];
  if (paths.length === 0) return ['/*'];
  if (paths.length > MAX_PATHS)
    throw new UserError(
      `${paths.length} paths is more than opsbot sends from chat (at most ${MAX_PATHS}).`,
      'Invalidate a wildcard instead, such as `/ops cdn invalidate /static/*`.',
    );
  for (const p of paths) {
    if (!p.startsWith('/'))
      throw new UserError(`\`${p}\` is not a path: CloudFront paths start with "/".`, 'For example: `/index.html`.');
    if (p.includes('*') && p.indexOf('*') !== p.length - 1)
      throw new UserError(
        `\`${p}\`: CloudFront takes a "*" only as the last character of a path.`,
        'For example: `/static/*`.',
      );
    if (p.length > 4000) throw new UserError('A CloudFront path is at most 4,000 characters.');
  }
  return paths;
}

async function planInvalidation(
  ctx: CommandContext,
  pathsText: string | undefined,
): Promise<Plan<InvalidationJobData>> {
  const cf = cloudfrontOf(ctx);
  const paths = invalidationPaths(pathsText);
  const dist = await getDistribution(cloudfrontSession(ctx), cf.distribution);
  if (!dist.enabled)
    throw new UserError(
      `\`${cf.distribution}\` is disabled: it serves nothing, so there is no cache to invalidate.`,
      'Enable it in the CloudFront console first.',
    );
  const callerReference = `opsbot-${ctx.envName}-${randomUUID()}`;
  const all = paths.includes('/*');
  return {
    command: 'cdn invalidate',
    env: ctx.envName,
    args: { paths: paths.join(' ') },
    summary: `Invalidate ${paths.join(', ')} on CloudFront \`${cf.distribution}\` (${dist.domain ?? '?'})`,
    effects: [
      `CreateInvalidation on \`${cf.distribution}\`: every edge location drops its copy of ${paths.map((p) => `\`${p}\``).join(', ')}${all ? ' (everything)' : ''} and fetches it from the origin on the next request — expect more origin load and a lower cache hit rate for a while.`,
      'The first 1,000 paths a month are free; each path after that is charged (a `*` counts as one path).',
    ],
    targets: [
      { kind: 'cloudfront-distribution', id: cf.distribution, detail: dist.domain },
      { kind: 'caller-reference', id: shortRef(callerReference) },
    ],
    preconditions: [{ what: `${cf.distribution} serves`, expected: dist.domain ?? null }],
    data: {
      env: ctx.envName,
      distribution: cf.distribution,
      domain: dist.domain ?? null,
      paths,
      callerReference,
      timeoutMs: cf.invalidationTimeout,
    },
    plannedAt: ctx.services.clock().toISOString(),
  };
}

export const cdnInvalidate = defineCommand({
  name: 'cdn invalidate',
  summary: 'Invalidate paths on the CloudFront distribution (default /*), followed until Completed',
  usage: '[env] [paths…]',
  examples: ['cdn invalidate prod', 'cdn invalidate prod /index.html /static/*'],
  // Nothing is lost, but every edge fetches those objects from the origin again at once (a load spike on a busy
  // origin, and a charge past 1,000 paths a month): always behind a second person's approval.
  risk: 'dangerous',
  positionals: ['...paths'],
  args: z.object({ paths: z.string().max(20_000).optional() }),
  jobs: [cdnInvalidateJob],
  plan: (ctx, { paths }) => planInvalidation(ctx, paths),
  async execute(_ctx, { data }) {
    return {
      job: {
        name: cdnInvalidateJob.name,
        data: { ...data },
        title: `Invalidate ${data.paths.join(' ')} on ${data.distribution} (${data.env})`,
      },
    };
  },
});
