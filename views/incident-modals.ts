import type { KnownBlock, View } from '@slack/types';
import { LIMITS, truncate } from './blocks.js';
import { incidentRef, type SeverityLevel } from './incident-card.js';

export const DECLARE_VIEW = 'incident.declare';
export const UPDATE_VIEW = 'incident.update';
export const RESOLVE_VIEW = 'incident.resolve';

const plain = (text: string) => ({ type: 'plain_text' as const, text: truncate(text, 75), emoji: true });
const option = (value: string, text: string) => ({ text: plain(text), value });

function textInput(
  blockId: string,
  label: string,
  opts: { multiline?: boolean; optional?: boolean; placeholder?: string; max?: number; initial?: string } = {},
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      multiline: opts.multiline ?? false,
      max_length: opts.max ?? 3000,
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
      ...(opts.initial ? { initial_value: truncate(opts.initial, opts.max ?? 3000) } : {}),
    },
  } as KnownBlock;
}

function modal(callbackId: string, title: string, submit: string, blocks: KnownBlock[], privateMetadata: string): View {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(truncate(title, 24)),
    submit: plain(submit),
    close: plain('Cancel'),
    private_metadata: privateMetadata,
    blocks,
  };
}

/** A menu of the configured environments; more than a menu may hold (100) are typed instead. */
function environmentInput(environments: string[]): KnownBlock {
  if (environments.length > LIMITS.selectOptions)
    return {
      ...textInput('environment', 'Environment', { placeholder: environments[0], max: 200 }),
      optional: true,
      hint: plain(`One of the ${environments.length} in ops.yml; empty means ${environments[0]}`),
    } as KnownBlock;
  return {
    type: 'input',
    block_id: 'environment',
    label: plain('Environment'),
    element: {
      type: 'static_select',
      action_id: 'value',
      options: environments.map((e) => option(e, e)),
      initial_option: option(environments[0], environments[0]),
    },
  } as KnownBlock;
}

/** The declaration form opened by `/ops incident declare` without arguments. */
export function renderDeclareModal(
  severities: { level: SeverityLevel; label: string }[],
  environments: string[],
  privateMetadata: string,
  /** Filled in from a message (the "Open incident from this message" shortcut). */
  prefill: { title?: string; description?: string } = {},
): View {
  const severityOptions = severities.map((s) => option(s.level, `${s.level} — ${s.label}`));
  const blocks: KnownBlock[] = [
    textInput('title', 'What is wrong?', { placeholder: 'Checkout is failing', max: 150, initial: prefill.title }),
    {
      type: 'input',
      block_id: 'severity',
      label: plain('Severity'),
      element: {
        type: 'static_select',
        action_id: 'value',
        options: severityOptions,
        initial_option: severityOptions.find((o) => o.value === 'P2') ?? severityOptions[0],
      },
    } as KnownBlock,
    environmentInput(environments),
    textInput('description', 'What do we know so far?', {
      multiline: true,
      optional: true,
      initial: prefill.description,
    }),
    {
      type: 'input',
      block_id: 'owner',
      optional: true,
      label: plain('Owner (default: you)'),
      element: { type: 'users_select', action_id: 'value' },
    } as KnownBlock,
  ];
  return modal(DECLARE_VIEW, 'Declare an incident', 'Declare', blocks, privateMetadata);
}

export function renderUpdateModal(i: { id: number; title: string }): View {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${incidentRef(i)}* ${truncate(i.title, 200)}` } } as KnownBlock,
    textInput('text', 'What changed?', { multiline: true }),
    {
      type: 'input',
      block_id: 'mitigated',
      optional: true,
      label: plain('Impact'),
      element: {
        type: 'checkboxes',
        action_id: 'value',
        options: [option('mitigated', 'This update mitigates the impact')],
      },
    } as KnownBlock,
  ];
  return modal(UPDATE_VIEW, 'Post an update', 'Post', blocks, String(i.id));
}

export function renderResolveModal(i: { id: number; title: string }): View {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${incidentRef(i)}* ${truncate(i.title, 200)}` } } as KnownBlock,
    textInput('summary', 'How was it resolved?', {
      multiline: true,
      placeholder: 'Rolled back to v42; error rate back to normal',
    }),
  ];
  return modal(RESOLVE_VIEW, 'Resolve incident', 'Resolve', blocks, String(i.id));
}
