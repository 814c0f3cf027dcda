import type { Reply } from '../src/core/reply.js';
import type { OncallNow } from '../src/oncall/service.js';
import type { StoredOverride } from '../src/store/oncall-overrides.js';
import { formatInZone } from '../src/config/schedule.js';
import { context, section } from './blocks.js';

export type FormatTime = (d: Date) => string;

/** `/ops oncall`: per layer who is on call now and until when, then the next four handoffs. */
export function renderOncallNow(now: OncallNow, fmt: FormatTime): Reply {
  const layers = now.layers.map((o) => {
    if (!o.userId)
      return `*${o.layer}*: nobody (outside its hours)${o.resumesAt ? ` until ${fmt(o.resumesAt)}${o.resumesWith ? `, then <@${o.resumesWith}>` : ''}` : ''}`;
    const why = o.source === 'override' ? ` (override ${o.overrideId ?? ''})`.replace(' )', ')') : '';
    return `*${o.layer}*: <@${o.userId}>${why} until ${o.until ? fmt(o.until) : 'further notice'}`;
  });
  const handoffs = now.handoffs.map((h) => `• ${fmt(h.at)} — ${h.layer}: ${h.from ? `<@${h.from}> → ` : ''}<@${h.to}>`);
  const notes = [`Times in ${now.timeZone}.`];
  if (now.usergroup)
    notes.push(
      now.usergroupProblem
        ? `:warning: ${now.usergroupProblem}`
        : `<!subteam^${now.usergroup}> follows who is on call.`,
    );
  const primary = now.layers[0];
  return {
    text: `On call (${now.schedule}): ${primary?.userId ?? 'nobody'}`,
    tone: now.usergroupProblem ? 'warning' : 'info',
    blocks: [
      section(`:pager: *On call now — ${now.schedule}*\n${layers.join('\n')}`),
      section(`*Next handoffs*\n${handoffs.join('\n') || '_none ahead_'}`),
      context(...notes),
    ],
  };
}

export function renderOverrideList(
  groups: { schedule: string; timeZone: string; overrides: StoredOverride[] }[],
  fmtIn: (tz: string) => FormatTime,
): Reply {
  const blocks = groups.map((g) => {
    const fmt = fmtIn(g.timeZone);
    const lines = g.overrides.map(
      (o) =>
        `• *${o.id}* ${o.layer}: <@${o.userId}> ${fmt(o.start)} → ${fmt(o.end)}${o.swapId ? ` (swap ${o.swapId})` : ''}${o.reason && !o.swapId ? ` — ${o.reason}` : ''}`,
    );
    return section(`*Overrides — ${g.schedule}* (${g.timeZone})\n${lines.join('\n') || '_none_'}`);
  });
  const total = groups.reduce((n, g) => n + g.overrides.length, 0);
  return {
    text: `${total} on-call override(s)`,
    blocks: [...blocks, context('Remove one with `/ops oncall override remove <id>`.')],
  };
}

export function renderOverrideDone(o: StoredOverride, fmt: FormatTime, removed = false): Reply {
  const verb = removed ? 'Removed override' : 'Override';
  return {
    text: `${verb} ${o.id}`,
    tone: removed ? 'muted' : 'ok',
    blocks: [
      section(
        `${removed ? ':wastebasket:' : ':white_check_mark:'} ${verb} *${o.id}* on *${o.schedule} / ${o.layer}*: <@${o.userId}> ${fmt(o.start)} → ${fmt(o.end)}.`,
      ),
    ],
  };
}

/** "Thu 24 Dec 09:00" in a time zone, as the schedule shows shifts (the format checklists use too). */
export function timeIn(timeZone: string): FormatTime {
  return (d) => formatInZone(d, timeZone);
}
