import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { UserError } from '../src/errors.js';
import { describeEbConfig } from '../src/aws/beanstalk-config.js';
import { renderEbConfig } from '../views/eb-config.js';

export const config = defineCommand({
  name: 'config',
  summary: "The Beanstalk environment's platform, instance type, scaling and the names (never values) of its variables",
  usage: '[env]',
  examples: ['config', 'config staging'],
  risk: 'read',
  args: z.object({}),
  async run(ctx) {
    const eb = ctx.env.beanstalk;
    if (!eb)
      throw new UserError(
        `\`${ctx.envName}\` has no Elastic Beanstalk environment.`,
        'Add `beanstalk: { application: …, environment: … }` to it in ops.yml.',
      );
    const s = ctx.aws();
    const view = await describeEbConfig(s, eb.application, eb.environment);
    return renderEbConfig(ctx.envName, eb.environment, view, s.notes);
  },
});
