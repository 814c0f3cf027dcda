import type { KnownBlock } from '@slack/types';
import { LIMITS, context, truncate } from './blocks.js';
import type { Reply } from './reply.js';
import { oneTablePerMessage } from './table.js';

/**
 * The one place Slack's message limits are enforced. A reply with more than 50
 * blocks keeps its first 48, says how many more there were, and moves the full
 * text into an attached file so nothing is lost. A second table becomes aligned text
 * (Slack allows one table a message).
 */
export function fitReply(whole: Reply, fullTextForFile?: () => string): Reply {
  const reply = { ...whole, blocks: oneTablePerMessage(whole.blocks) };
  if (reply.blocks.length <= LIMITS.blocksPerMessage) return { ...reply, text: truncate(reply.text, 3000) };
  const kept = reply.blocks.slice(0, LIMITS.blocksPerMessage - 2);
  const dropped = reply.blocks.length - kept.length;
  const note: KnownBlock[] = [
    context(`… ${dropped} more block${dropped === 1 ? '' : 's'}; the full reply is attached as a file.`),
  ];
  const files = [...(reply.files ?? [])];
  files.push({
    filename: 'full-reply.txt',
    title: 'Full reply',
    content: fullTextForFile ? fullTextForFile() : reply.text,
  });
  return { ...reply, text: truncate(reply.text, 3000), blocks: [...kept, ...note], files };
}

/** Keeps the first `max` items of a list and reports the rest as "… 40 more". */
export function takeWithMore<T>(items: T[], max: number): { shown: T[]; more: string | undefined } {
  if (items.length <= max) return { shown: items, more: undefined };
  return { shown: items.slice(0, max), more: `… ${items.length - max} more` };
}
