import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
} from '@slack/types';
import { BLOCK_KIT_LIMITS } from '../src/sandbox/slack/block-kit-rules.js';

/**
 * Slack's documented limits the builders keep to, taken from the one table of them
 * (src/sandbox/slack/block-kit-rules.ts, a pure module: each limit links to its documentation),
 * which the fake Slack also enforces in every test.
 */
export const LIMITS = {
  blocksPerMessage: BLOCK_KIT_LIMITS.blocksPerMessage.max,
  sectionText: BLOCK_KIT_LIMITS.sectionText.max,
  fieldText: BLOCK_KIT_LIMITS.sectionFieldText.max,
  fieldsPerSection: BLOCK_KIT_LIMITS.sectionFields.max,
  headerText: BLOCK_KIT_LIMITS.headerText.max,
  contextElements: BLOCK_KIT_LIMITS.contextElements.max,
  buttonText: BLOCK_KIT_LIMITS.buttonText.max,
  actionValue: BLOCK_KIT_LIMITS.buttonValue.max,
  selectOptions: BLOCK_KIT_LIMITS.selectOptions.max,
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
