import { z } from 'zod';
import type { DirectCommand } from '../../src/core/command.js';
import type { CommandContext } from '../../src/core/context.js';
import type { Reply } from '../../src/core/reply.js';
import { UserError } from '../../src/errors.js';
import { formatDuration } from '../../src/duration.js';
import { serviceLogs } from '../../src/docker/logs.js';
import { processLogs } from '../../src/pm2/logs.js';
import { renderLogs, type LogLineView } from '../../views/logs.js';
import { isSelfHosted, settlePart } from './parts.js';

/** Lines read per container or pm2 file before filtering (docker logs --tail, pm2 logs --lines). */
const TAIL = 1000;
/** Lines kept for the reply (the view shows the newest and attaches the rest). */
const KEEP = 500;

/** The arguments /ops logs has already bound and validated, in the shape this file reads. */
const boundArgs = z.object({
  service: z.string().optional(),
  since: z.number(),
  errors: z.boolean(),
  pattern: z.string().optional(),
});
export type SelfHostedLogArgs = z.output<typeof boundArgs>;

/** Recent lines from the compose project's containers and pm2's log files, merged by time, newest last. */
export async function selfHostedLogs(ctx: CommandContext, args: SelfHostedLogArgs): Promise<Reply> {
  if (args.since < 60_000 || args.since > 7 * 86_400_000)
    throw new UserError(
      `\`--since ${formatDuration(args.since)}\` is out of range: use between 1m and 7d.`,
      'For example: `/ops logs --since 1h`',
    );
  const started = Date.now();
  const now = ctx.services.clock();
  const since = new Date(now.getTime() - args.since);
  const query = { since, errors: args.errors, pattern: args.pattern };
  // With one source its error is the answer; with both, each may fail alone (a --service name belongs to one of them).
  const both = Boolean(ctx.env.docker && ctx.env.pm2);
  const guard = <T>(work: Promise<T>) =>
    both ? settlePart(work) : work.then((value) => ({ ok: true as const, value }));
  const [docker, pm2] = await Promise.all([
    ctx.env.docker ? guard(serviceLogs(ctx.docker(), args.service, { ...query, tail: TAIL, limit: KEEP })) : undefined,
    ctx.env.pm2 ? guard(processLogs(ctx.pm2(), args.service, { ...query, lines: TAIL })) : undefined,
  ]);
  const lines: LogLineView[] = [];
  const failed: { what: string; error: string }[] = [];
  const notes: string[] = [];
  const sources = new Set<string>();
  if (docker?.ok) {
    for (const l of docker.value.lines) lines.push({ at: l.time ?? now, group: l.container, message: l.text });
    docker.value.lines.forEach((l) => sources.add(l.container));
    if (docker.value.dropped) notes.push(`${docker.value.dropped} older Docker lines left out`);
  }
  if (pm2?.ok) {
    for (const l of pm2.value.lines) lines.push({ at: l.time ?? now, group: l.process, message: l.text });
    pm2.value.lines.forEach((l) => sources.add(l.process));
    if (pm2.value.lines.some((l) => !l.time))
      notes.push(
        'pm2 writes no timestamps here, so its lines show the reading time: set `time: true` in the ecosystem file',
      );
  }
  const answered = [docker, pm2].filter((p) => p?.ok).length;
  for (const [what, part] of [
    ['Docker Engine', docker],
    ['pm2', pm2],
  ] as const) {
    // A --service found in one of the two is not a failure of the other.
    if (part && !part.ok && !(args.service && answered > 0)) failed.push({ what, error: part.error });
  }
  lines.sort((a, b) => a.at.getTime() - b.at.getTime());
  const kept = lines.slice(-KEEP);
  return renderLogs({
    env: ctx.envName,
    checkedAt: now,
    tookMs: Date.now() - started,
    windowMs: args.since,
    groups: sources.size ? [...sources] : [args.service ?? ctx.env.docker?.project ?? 'pm2'],
    pattern: args.pattern,
    errorsOnly: args.errors,
    lines: kept,
    truncated: kept.length < lines.length,
    failed,
    notes,
  });
}

/** /ops logs from CloudWatch as before, or from Docker and pm2 when the environment has no log groups. */
export function withSelfHostedLogs(aws: DirectCommand): DirectCommand {
  return {
    ...aws,
    summary: `${aws.summary}; from the Docker Engine or pm2's files when the environment has no log groups`,
    usage: '[env] [--service name] [--since 15m] [--errors] [pattern]',
    examples: [...(aws.examples ?? []), 'logs esn --service api --since 1h --errors'],
    args: aws.args.extend({ service: z.string().min(1).max(100).optional() }),
    async run(ctx, args) {
      const selfHosted = !ctx.env.logs?.groups?.length && isSelfHosted(ctx.env);
      if (selfHosted) return selfHostedLogs(ctx, boundArgs.parse(args));
      if (args.service)
        throw new UserError(
          '`--service` picks a compose service or pm2 process; this environment reads CloudWatch log groups.',
          'Leave it out, or narrow with a pattern: `/ops logs "api"`.',
        );
      return aws.run(ctx, args);
    },
  };
}
