import type { OpsConfig } from '../config/schema.js';
import { parseDuration } from '../duration.js';
import { BUILTIN_CHECKLISTS, builtinChecklist } from './builtin.js';
import { ON_DEMAND, normalizeSchedule } from './schedule.js';

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
/** Words that are their own commands after `/ops checklist`, so no list may be called that. */
export const RESERVED_NAMES = new Set(['list', 'status', 'skip', 'help']);
export const NAME_RE = /^[a-z][a-z0-9-]*$/;

type ChecklistConfig = OpsConfig['checklists'][string];
type RawChecklistConfig = { schedule?: string; channel?: string; items?: unknown[]; enabled?: boolean };

/** What is wrong with one `checklists.<name>` entry: each message is shown at that path by check-config. */
export function checklistProblems(name: string, entry: RawChecklistConfig): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  if (!NAME_RE.test(name))
    problems.push({
      path: [],
      message: `"${name}" is not a checklist name: use lower-case words joined by "-", e.g. pre-deploy`,
    });
  if (RESERVED_NAMES.has(name))
    problems.push({ path: [], message: `"${name}" is a /ops checklist subcommand; call the list something else` });
  const builtin = builtinChecklist(name);
  if (!builtin && !entry.items?.length) {
    problems.push({
      path: ['items'],
      message: `there is no built-in checklist "${name}" (built-ins: ${BUILTIN_CHECKLISTS.map((c) => c.name).join(', ')}); give this list its own items`,
    });
  }
  const schedule = entry.schedule ?? builtin?.schedule;
  if (entry.schedule !== undefined && !ON_DEMAND.has(entry.schedule)) {
    const check = normalizeSchedule(entry.schedule);
    if (!check.ok) problems.push({ path: ['schedule'], message: check.message });
  }
  if (entry.enabled !== false && schedule && !ON_DEMAND.has(schedule) && !entry.channel) {
    problems.push({
      path: ['channel'],
      message: `"${name}" is posted on schedule (${schedule}) and needs a channel id to post into, e.g. channel: C0OPS (or schedule: none for on demand only)`,
    });
  }
  return problems;
}

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
