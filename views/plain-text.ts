import type { KnownBlock } from '@slack/types';
import type { Reply } from './reply.js';
import { tableAsText } from './table.js';

/** Renders a reply for a terminal: mrkdwn markers stripped, fields one per line. */
export function renderReplyAsText(reply: Reply): string {
  const lines: string[] = [];
  for (const block of reply.blocks) lines.push(...blockLines(block));
  if (lines.length === 0) lines.push(mrkdwnToText(reply.text));
  for (const file of reply.files ?? []) lines.push(`[attached: ${file.filename}]`);
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function blockLines(block: KnownBlock): string[] {
  switch (block.type) {
    case 'header':
      return [block.text.text.toUpperCase(), ''];
    case 'section': {
      const out: string[] = [];
      if (block.text) out.push(mrkdwnToText(block.text.text));
      for (const field of block.fields ?? []) out.push(mrkdwnToText(field.text).replace(/\n/g, ' '));
      return out;
    }
    case 'context':
      return block.elements.map((e) => ('text' in e ? mrkdwnToText(e.text) : '')).filter(Boolean);
    case 'divider':
      return ['—'];
    case 'actions':
      return [block.elements.map((e) => ('text' in e && e.text ? `[${e.text.text}]` : '')).join(' ')];
    case 'table':
      return [...tableAsText(block), ''];
    case 'rich_text':
      return [];
    default:
      return [];
  }
}

/** mrkdwn to plain text. Inline code is left exactly as written: `0 9 * * 1-5` must not lose its asterisks to "bold". */
export function mrkdwnToText(text: string): string {
  return text
    .replace(/```/g, '')
    .split(/(`[^`\n]*`)/g)
    .map((part, i) => (i % 2 === 1 ? part.slice(1, -1) : formatOutsideCode(part)))
    .join('')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function formatOutsideCode(text: string): string {
  return (
    text
      // Slack's <!date^unix^format|fallback>: the fallback is the time itself (the terminal has no reader's time zone).
      .replace(/<!date\^[^|>]*\|([^>]+)>/g, '$1')
      .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
      .replace(/<([^>]+)>/g, '$1')
      .replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1$2')
      .replace(/(^|[\s(])_([^_\n]+)_/g, '$1$2')
  );
}

/**
 * Notification text from mrkdwn: drops *bold*, _italic_ and `code` markers only where they are
 * emphasis (at word edges), so :arrow_down:, db_conn_pool and <@U…> mentions survive.
 */
export function stripEmphasis(text: string): string {
  return text
    .replace(/`([^`\n]*)`/g, '$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/(^|[\s(])_(\S(?:[^\n]*?\S)?)_(?=$|[\s).,:;!?])/g, '$1$2');
}
