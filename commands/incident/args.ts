import { z } from 'zod';
import { UserError } from '../../src/errors.js';
import { SEVERITIES } from '../../src/core/severity.js';

/** `--id 12` or `--id INC-12`. */
export const incidentIdArg = z
  .string()
  .regex(/^(#|inc-)?\d{1,9}$/i, 'expected an incident number such as 12')
  .transform((v) => Number(v.replace(/^#|^inc-/i, '')))
  .optional();

/** P0–P4, any case. */
export const severityArg = z
  .string()
  .transform((v) => v.toUpperCase())
  .pipe(z.enum(SEVERITIES, { error: 'expected a severity P0, P1, P2, P3 or P4' }));

/**
 * A Slack user from command text: `<@U123|alice>` (what Slack sends when the
 * app escapes mentions), `<@U123>`, or a bare user id.
 */
export function parseUserMention(word: string): string {
  const match = /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/.exec(word.trim()) ?? /^([UW][A-Z0-9]{2,})$/.exec(word.trim());
  if (match) return match[1];
  if (word.startsWith('@')) {
    throw new UserError(
      `\`${word}\` reached opsbot as plain text, not as a Slack mention.`,
      'Pick the person from Slack\'s @-autocomplete so the mention becomes a link (the /ops command needs "Escape channels, users, and links" turned on, as in manifest.yml), or give their user id: `/ops incident assign U0123ABCD`.',
    );
  }
  throw new UserError(`\`${word}\` is not a Slack user.`, 'Usage: `/ops incident assign @someone`');
}
