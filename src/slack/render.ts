import type { KnownBlock, MessageAttachment } from '@slack/types';
import { COLORS, type Reply } from '../../views/reply.js';
import { fitReply } from '../../views/limits.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { redactDeep, redactSecrets } from '../redact.js';

export interface SlackMessage {
  text: string;
  blocks?: KnownBlock[];
  attachments?: MessageAttachment[];
}

/**
 * Turns a Reply into chat.postMessage / respond() arguments. A toned reply keeps
 * its first block (the verdict) on top and puts the rest beside a coloured bar.
 * Everything passes through secret redaction on the way out. Slack takes a `table`
 * block only in `attachments`: an untoned reply with a table moves the table and what
 * follows it into an attachment without a colour, so the order stays as the view wrote it.
 */
export function toSlackMessage(reply: Reply): SlackMessage {
  const fitted = fitReply(reply, () => renderReplyAsText(reply));
  const text = redactSecrets(fitted.text);
  const blocks = redactDeep(fitted.blocks);
  if (!fitted.tone) {
    const at = blocks.findIndex((b) => b.type === 'table');
    if (at < 0) return { text, blocks };
    const attachments = [{ blocks: blocks.slice(at), fallback: text }];
    return at === 0 ? { text, attachments } : { text, blocks: blocks.slice(0, at), attachments };
  }
  const color = COLORS[fitted.tone];
  if (blocks.length >= 2 && blocks[0].type !== 'table') {
    return { text, blocks: [blocks[0]], attachments: [{ color, blocks: blocks.slice(1), fallback: text }] };
  }
  return { text, attachments: [{ color, blocks, fallback: text }] };
}
