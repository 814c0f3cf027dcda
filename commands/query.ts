import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { UserError } from '../src/errors.js';
import { runSavedQuery } from '../src/probes/pg-diagnostics/saved-query.js';
import { renderSavedQuery } from '../views/query-result.js';

export const query = defineCommand({
  name: 'query',
  summary: 'Run a saved read-only query from ops.yml (queries:) and show the rows as a table',
  usage: '<name> [env]',
  examples: ['query active-users', 'query credit-transactions staging'],
  risk: 'read',
  // The environment comes after the name, and defaults to the query's own `env`.
  env: false,
  positionals: ['name', 'env'],
  args: z.object({
    name: z.string({ error: 'is required: the name of a query under `queries:` in ops.yml' }),
    env: z.string().optional(),
  }),
  async run(ctx, args) {
    const saved = ctx.config.queries[args.name];
    const known = Object.keys(ctx.config.queries);
    if (!saved) {
      throw new UserError(
        `No saved query \`${args.name}\`.`,
        known.length
          ? `Saved queries: ${known.map((k) => `\`${k}\``).join(', ')}.`
          : 'Add one under `queries:` in ops.yml, e.g. `active-users: { sql: "select count(*) from users", env: prod }`.',
      );
    }
    const envNames = Object.keys(ctx.config.environments);
    const env = args.env ?? saved.env ?? envNames[0];
    if (!ctx.config.environments[env]) {
      throw new UserError(`Unknown environment \`${env}\`. Configured: ${envNames.map((n) => `\`${n}\``).join(', ')}.`);
    }
    const result = await ctx.services.targets.readOnly(env, (db) => runSavedQuery(db, saved.sql));
    return renderSavedQuery({ name: args.name, env, sql: saved.sql, description: saved.description, result });
  },
});
