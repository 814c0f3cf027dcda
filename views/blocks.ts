import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
} from '@slack/types';

/** Slack's documented limits for messages and blocks. */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  actionValue: 2000,
} as const;

export function truncate(text: string, max: number, suffix = '…'): string {
  return text.length <= max ? text : text.slice(0, max - suffix.length) + suffix;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

export function section(markdown: string, accessory?: SectionBlock['accessory']): SectionBlock {
  const block: SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(markdown, LIMITS.sectionText) },
  };
  if (accessory) block.accessory = accessory;
  return block;
}

/** Sections of two-column fields; more than 10 fields spill into further sections. */
export function fieldSections(fields: string[]): SectionBlock[] {
  const out: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
    out.push({
      type: 'section',
      fields: fields
        .slice(i, i + LIMITS.fieldsPerSection)
        .map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.fieldText) })),
    });
  }
  return out;
}

export function context(...parts: string[]): ContextBlock {
  return {
    type: 'context',
    elements: parts
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) })),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  const b: Button = {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText) },
    action_id: actionId,
    value: truncate(value, LIMITS.actionValue, ''),
  };
  if (style) b.style = style;
  return b;
}

export function actions(blockId: string, ...elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements };
}

/** A code block that always fits one section, trimmed from the top so the newest lines stay. */
export function codeSection(text: string): SectionBlock {
  const budget = LIMITS.sectionText - 8;
  const body = text.length > budget ? '…' + text.slice(text.length - budget + 1) : text;
  return section('```' + body + '```');
}

export type { KnownBlock };
