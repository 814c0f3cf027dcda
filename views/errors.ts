import { context, escapeMrkdwn, section } from './blocks.js';
import type { Reply } from './reply.js';

/** A problem the user can fix: what was wrong, then what to type instead. */
export function renderUserError(message: string, hint?: string): Reply {
  return {
    text: hint ? `${message} ${hint}` : message,
    tone: 'warning',
    ephemeral: true,
    blocks: [section(`:warning: ${message}`), ...(hint ? [section(hint)] : [])],
  };
}

/** An unexpected failure: never a stack trace, always a reference to find the log line. */
export function renderFailure(commandName: string | undefined, ref: string): Reply {
  const what = commandName ? `\`${escapeMrkdwn(commandName)}\`` : 'That command';
  return {
    text: `${commandName ?? 'command'} failed (ref ${ref})`,
    tone: 'danger',
    ephemeral: true,
    blocks: [
      section(`:x: ${what} failed (ref \`${ref}\`).`),
      context('The error is in the opsbot logs under that reference. Try again, or ask whoever runs opsbot.'),
    ],
  };
}
