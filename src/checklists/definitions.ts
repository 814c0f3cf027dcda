import type { OpsConfig } from '../config/schema.js';
import { parseDuration } from '../duration.js';
import { BUILTIN_CHECKLISTS, builtinChecklist } from '../config/builtin-checklists.js';

import { ON_DEMAND, normalizeSchedule } from '../config/schedule.js';

export interface ChecklistItemDefinition {
  text: string;
  command?: string;
  runbook?: string;
}

/** A checklist as opsbot uses it: a built-in merged with its ops.yml overrides, or a team's own list. */
export interface ChecklistDefinition {
  name: string;
  title: string;
  /** Normalised cron pattern in config.timezone; undefined: on demand only. */
  schedule?: string;
  /** Set when the written schedule was rewritten (first-Monday style). */
  scheduleNote?: string;
  channel?: string;
  /** A role under access.roles, or a user (U…) or user group (S…) id. */
  owner?: string;
  dueAfterMs: number;
  /** Time between the first reminder and the louder second one. */
  escalateAfterMs: number;
  nag: boolean;
  items: ChecklistItemDefinition[];
  builtin: boolean;
  /** Named in ops.yml (only configured lists are posted on schedule). */
  configured: boolean;
}

export const DEFAULT_DUE_AFTER = '4h';
export const DEFAULT_ESCALATE_AFTER = '2h';

type ChecklistConfig = OpsConfig['checklists'][string];

function resolveOne(name: string, entry: ChecklistConfig | undefined): ChecklistDefinition {
  const builtin = builtinChecklist(name);
  const written = entry?.schedule ?? builtin?.schedule;
  const normalized = written && !ON_DEMAND.has(written) ? normalizeSchedule(written) : undefined;
  return {
    name,
    title: entry?.title ?? builtin?.title ?? name,
    schedule: normalized?.ok ? normalized.pattern : undefined,
    scheduleNote: normalized?.ok ? normalized.note : undefined,
    channel: entry?.channel,
    owner: entry?.owner,
    dueAfterMs: entry?.dueAfter ?? parseDuration(builtin?.dueAfter ?? DEFAULT_DUE_AFTER)!,
    escalateAfterMs: entry?.escalateAfter ?? parseDuration(DEFAULT_ESCALATE_AFTER)!,
    nag: entry?.nag ?? true,
    items: ((entry?.items ?? builtin?.items ?? []) as ChecklistItemDefinition[]).map((item) => ({
      text: item.text,
      command: item.command,
      runbook: item.runbook,
    })),
    builtin: Boolean(builtin),
    configured: Boolean(entry),
  };
}

/**
 * Every list a team can post: the ones in ops.yml (built-ins merged with their
 * overrides, and the team's own) plus the remaining built-ins, which can be
 * posted on demand but are never scheduled until named in ops.yml. A list
 * with `enabled: false` is left out entirely.
 */
export function resolveChecklists(config: OpsConfig): ChecklistDefinition[] {
  const configured = Object.entries(config.checklists).filter(([, entry]) => entry.enabled !== false);
  const disabled = new Set(
    Object.entries(config.checklists)
      .filter(([, entry]) => entry.enabled === false)
      .map(([name]) => name),
  );
  const out = configured.map(([name, entry]) => resolveOne(name, entry));
  for (const builtin of BUILTIN_CHECKLISTS) {
    if (!config.checklists[builtin.name] && !disabled.has(builtin.name)) out.push(resolveOne(builtin.name, undefined));
  }
  return out;
}

/** The lists that opsbot posts on schedule: configured, enabled, with a schedule and a channel. */
export function scheduledChecklists(config: OpsConfig): ChecklistDefinition[] {
  return resolveChecklists(config).filter((c) => c.configured && c.schedule && c.channel);
}
