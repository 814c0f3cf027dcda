import { escapeMrkdwn, section } from './blocks.js';
import type { Reply } from './reply.js';

/** The answer to `/ops checklist <name>`: where it went (the list itself is the posted message). */
export function renderChecklistPosted(title: string, channelId: string, alreadyPosted: boolean): Reply {
  const text = alreadyPosted
    ? `*${escapeMrkdwn(title)}* was already posted in <#${channelId}> for this slot.`
    : `Posted *${escapeMrkdwn(title)}* in <#${channelId}>. Tick items there as they are done.`;
  return { text, ephemeral: true, tone: 'ok', blocks: [section(`:clipboard: ${text}`)] };
}

/** The answer to `/ops checklist skip`. */
export function renderChecklistSkipped(
  title: string,
  position: number,
  itemText: string,
  reason: string,
  complete: boolean,
): Reply {
  const text = `Skipped item ${position} of *${escapeMrkdwn(title)}* (${escapeMrkdwn(itemText)}): ${escapeMrkdwn(reason)}.${complete ? ' That completes the checklist.' : ''}`;
  return { text, tone: 'ok', blocks: [section(`:fast_forward: ${text}`)] };
}

/** A note in a checklist's thread when a Run started a job instead of answering at once. */
export function renderChecklistRunQueued(userId: string, command: string, position: number, jobId: string): Reply {
  const text = `<@${userId}> started \`/ops ${escapeMrkdwn(command)}\` for item ${position} as job \`${jobId}\`; tick the item when it has passed.`;
  return { text, blocks: [section(`:hourglass_flowing_sand: ${text}`)] };
}
