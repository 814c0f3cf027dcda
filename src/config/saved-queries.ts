import { z } from 'zod';

/**
 * `queries:` in ops.yml: named read-only SELECTs anyone can run with
 * `/ops query <name> [env]` (the ExpertConnect guide's daily look at active
 * users, meetings and credit transactions). Checked to be one SELECT when run;
 * they always run in a read-only transaction under the statement timeout.
 */
export const savedQuerySchema = z.strictObject({
  sql: z.string().min(1),
  /** The environment it runs against when none is typed; default: the first environment. */
  env: z.string().min(1).optional(),
  description: z.string().optional(),
});

export const savedQueriesSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9-]*$/, 'query names are lower-case words such as active-users'),
    savedQuerySchema,
  )
  .prefault({});

export type SavedQuery = z.output<typeof savedQuerySchema>;
