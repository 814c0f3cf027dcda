import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { parseDuration } from '../../src/duration.js';
import { renderSilenceAdded } from '../../views/alert-silences.js';

const MAX_SILENCE_MS = 30 * 86_400_000;

export const silenceAdd = defineCommand({
  name: 'silence add',
  summary: 'Silence alerts matching a dedupe key or a pattern (* and ?) for a while',
  usage: '<key or pattern> <duration> [reason…]',
  examples: ['silence add "*-db-*" 1h vacuum running', 'silence add prod-HighCPU 4h'],
  risk: 'write',
  env: false,
  positionals: ['pattern', 'duration', '...reason'],
  args: z.object({
    pattern: z
      .string({ error: 'is required: an alarm name, a dedupe key, or a pattern such as "*-db-*"' })
      .min(1)
      .max(300),
    duration: z
      .string({ error: 'is required: how long, such as 1h, 4h or 24h' })
      .refine((d) => parseDuration(d) !== undefined, 'is not a duration; write it like 30m, 1h, 4h or 24h')
      .refine(
        (d) => (parseDuration(d) ?? 0) <= MAX_SILENCE_MS && (parseDuration(d) ?? 0) >= 60_000,
        'must be between 1m and 30d',
      ),
    reason: z.string().max(500).optional(),
  }),
  async run(ctx, { pattern, duration, reason }) {
    const { silence, applied } = await ctx.services.alerts.addSilence({
      matcher: pattern,
      durationMs: parseDuration(duration)!,
      reason: reason || undefined,
      createdBy: ctx.actor.id,
      channelId: ctx.channelId,
    });
    return renderSilenceAdded(silence, applied.length);
  },
});
