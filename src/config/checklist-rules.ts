import { BUILTIN_CHECKLISTS, builtinChecklist } from './builtin-checklists.js';
import { ON_DEMAND, normalizeSchedule } from './schedule.js';

/** Words that are their own commands after `/ops checklist`, so no list may be called that. */
export const RESERVED_NAMES = new Set(['list', 'status', 'skip', 'help']);
export const NAME_RE = /^[a-z][a-z0-9-]*$/;

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
