import type { CommandContext } from '../../src/core/context.js';
import { withTimeout } from '../../src/errors.js';

/**
 * The last recorded DR test; null when none is recorded, undefined when
 * opsbot's database does not answer within 1 s (the line is then left out).
 */
export async function lastDr(ctx: Pick<CommandContext, 'envName' | 'services'>) {
  try {
    return (await withTimeout('the last DR test', 1000, () => ctx.services.drTests.latest(ctx.envName))) ?? null;
  } catch {
    return undefined;
  }
}
