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
 * Everything passes through secret redaction on the way out.
 */
export function toSlackMessage(reply: Reply): SlackMessage {
  const fitted = fitReply(reply, () => renderReplyAsText(reply));
  const text = redactSecrets(fitted.text);
  const blocks = redactDeep(fitted.blocks);
  if (!fitted.tone) return { text, blocks };
  const color = COLORS[fitted.tone];
  if (blocks.length >= 2) {
    return { text, blocks: [blocks[0]], attachments: [{ color, blocks: blocks.slice(1), fallback: text }] };
  }
  return { text, attachments: [{ color, blocks, fallback: text }] };
}
