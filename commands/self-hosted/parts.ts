import type { EnvironmentConfig } from '../../src/config/schema.js';
import { isUserError } from '../../src/errors.js';
import type { Reply } from '../../src/core/reply.js';

/** An environment with a Docker Engine or pm2 daemon (issue 15). */
export function isSelfHosted(env: EnvironmentConfig): boolean {
  return Boolean(env.docker || env.pm2);
}

/** An environment with AWS compute or database parts that /ops status, restart and logs know. */
export function hasAwsCompute(env: EnvironmentConfig): boolean {
  return Boolean(env.beanstalk || env.ecs || env.rds);
}

/** Like src/aws/session.ts settle: a UserError becomes the part's error (with its hint), anything else propagates. */
export async function settlePart<T>(work: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await work };
  } catch (err) {
    if (isUserError(err)) return { ok: false, error: err.hint ? `${err.message} ${err.hint}` : err.message };
    throw err;
  }
}

const RANK = { ok: 0, info: 0, muted: 1, warning: 2, danger: 3 } as const;

/** Two replies shown as one (an environment with AWS parts and self-hosted ones): the worse tone and verdict win. */
export function combineReplies(first: Reply, second: Reply): Reply {
  const tone = RANK[second.tone ?? 'info'] > RANK[first.tone ?? 'info'] ? second.tone : first.tone;
  return {
    text: `${first.text}\n${second.text}`,
    tone,
    blocks: [...first.blocks, { type: 'divider' }, ...second.blocks],
    files: [...(first.files ?? []), ...(second.files ?? [])],
  };
}
