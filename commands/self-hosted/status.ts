import type { AnyArgsSchema, DirectCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import type { Reply } from '../../src/core/reply.js';
import { UserError } from '../../src/errors.js';
import { listServices } from '../../src/docker/services.js';
import { listProcesses } from '../../src/pm2/processes.js';
import { renderSelfHostedStatus } from '../../views/self-hosted-status.js';
import { combineReplies, hasAwsCompute, isSelfHosted, settlePart } from './parts.js';

/** Every compose service and pm2 process of the environment, fetched at once, judged in the view. */
export async function selfHostedStatus(ctx: CommandContext): Promise<Reply> {
  const started = Date.now();
  const now = ctx.services.clock();
  const [services, processes] = await Promise.all([
    ctx.env.docker ? settlePart(listServices(ctx.docker(), now)) : undefined,
    ctx.env.pm2 ? settlePart(listProcesses(ctx.pm2(), now.getTime())) : undefined,
  ]);
  return renderSelfHostedStatus({
    env: ctx.envName,
    checkedAt: now,
    tookMs: Date.now() - started,
    docker: ctx.env.docker && services && { host: ctx.env.docker.host, project: ctx.env.docker.project, services },
    pm2: processes && { home: ctx.pm2().home, processes },
  });
}

/** /ops status for AWS, self-hosted, or both (the AWS part as it was, then the self-hosted one). */
export function withSelfHostedStatus<S extends AnyArgsSchema>(aws: DirectCommand<S>): DirectCommand<S> {
  return {
    ...aws,
    summary: `${aws.summary}; docker-compose services and pm2 processes for self-hosted environments`,
    async run(ctx, args) {
      if (!isSelfHosted(ctx.env)) return aws.run(ctx, args);
      if (!hasAwsCompute(ctx.env)) return selfHostedStatus(ctx);
      const [awsReply, own] = await Promise.all([aws.run(ctx, args), selfHostedStatus(ctx)]);
      if ('job' in awsReply) throw new UserError('status answered with a job, which it never does');
      return combineReplies(awsReply, own);
    },
  };
}
