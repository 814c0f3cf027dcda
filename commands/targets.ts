import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { describeTargets, loadBalancerArn } from '../src/aws/targets.js';
import { renderTargets } from '../views/targets.js';

export const targets = defineCommand({
  name: 'targets',
  summary: "The load balancer's target groups with each target's health and reason (first step for 502s)",
  usage: '[env]',
  examples: ['targets', 'targets staging'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const started = Date.now();
    const s = ctx.aws();
    const arn = await loadBalancerArn(s, ctx.env);
    const groups = await describeTargets(s, arn);
    return renderTargets({
      env: ctx.envName,
      loadBalancer: arn,
      groups,
      checkedAt: ctx.services.clock(),
      tookMs: Date.now() - started,
      notes: s.notes,
    });
  },
});
