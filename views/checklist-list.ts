import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import type { Reply } from './reply.js';

export interface ChecklistListEntry {
  name: string;
  title: string;
  items: number;
  /** Cron pattern; undefined: on demand. */
  schedule?: string;
  scheduleNote?: string;
  /** "Mon 1 Jun 09:00" in the configured time zone, when scheduled. */
  nextRun?: string;
  channel?: string;
  owner?: string;
  dueAfter: string;
  builtin: boolean;
  configured: boolean;
}

/** `/ops checklist list`: what is scheduled where and when next, then the built-ins one could enable. */
export function renderChecklistList(entries: ChecklistListEntry[], timezone: string): Reply {
  const scheduled = entries.filter((e) => e.configured && e.schedule && e.channel);
  const onDemand = entries.filter((e) => e.configured && !(e.schedule && e.channel));
  const available = entries.filter((e) => !e.configured);
  const line = (e: ChecklistListEntry) => {
    const when =
      e.schedule && e.channel
        ? `\`${e.schedule}\` → next ${e.nextRun ?? '—'} in <#${e.channel}>`
        : e.channel
          ? `on demand · <#${e.channel}>`
          : 'on demand';
    const owner = e.owner ? ` · owner *${escapeMrkdwn(e.owner)}*` : '';
    return `*${escapeMrkdwn(e.name)}* — ${escapeMrkdwn(e.title)} (${e.items} items, due after ${e.dueAfter})\n      ${when}${owner}${e.scheduleNote ? `\n      _${escapeMrkdwn(e.scheduleNote)}_` : ''}`;
  };
  const blocks: KnownBlock[] = [
    section(
      `:clipboard: *Checklists* — ${scheduled.length} scheduled, ${onDemand.length} on demand (times in ${escapeMrkdwn(timezone)})`,
    ),
  ];
  const chunk = (title: string, list: ChecklistListEntry[]) => {
    for (let i = 0; i < list.length; i += 8)
      blocks.push(
        section(
          `${i === 0 ? `*${title}*\n` : ''}${list
            .slice(i, i + 8)
            .map(line)
            .join('\n')}`,
        ),
      );
  };
  if (scheduled.length) chunk('On schedule', scheduled);
  if (onDemand.length) chunk('On demand (configured)', onDemand);
  if (available.length) {
    blocks.push(
      section(
        `*Built-in, not enabled* (post one now with \`/ops checklist <name>\`; schedule it by naming it in ops.yml, e.g. \`checklists: { morning: { channel: C0OPS } }\`)\n${available.map((e) => `\`${e.name}\` ${escapeMrkdwn(e.title)}${e.schedule ? ` (\`${e.schedule}\`)` : ''}`).join(' · ')}`,
      ),
    );
  }
  blocks.push(context('Post one now: `/ops checklist <name>` · history: `/ops checklist status [name]`'));
  return {
    text: `${scheduled.length} checklists scheduled, ${onDemand.length} on demand, ${available.length} built-in available`,
    blocks,
  };
}

/** A checklist printed with its items, for the terminal (the fallback when Slack is down): nothing is posted. */
export function renderChecklistPreview(list: {
  name: string;
  title: string;
  items: { text: string; command?: string; runbook?: string }[];
  schedule?: string;
  channel?: string;
}): Reply {
  const lines = list.items.map(
    (item, i) =>
      `${i + 1}. [ ] ${escapeMrkdwn(item.text)}${item.command ? ` — run \`/ops ${item.command}\`` : ''}${item.runbook ? ` (runbook ${item.runbook})` : ''}`,
  );
  const where = list.channel ? `posted in <#${list.channel}>` : 'posted where `/ops checklist` is typed';
  return {
    text: `${list.title}: ${list.items.length} items`,
    tone: 'info',
    blocks: [
      section(`:clipboard: *${escapeMrkdwn(list.title)}* (\`${list.name}\`, ${list.items.length} items)`),
      section(lines.join('\n') || '_no items_'),
      context(
        `In Slack, \`/ops checklist ${list.name}\` posts it with checkboxes and Run buttons (${where}${list.schedule ? `; scheduled \`${list.schedule}\`` : ''}).`,
      ),
    ],
  };
}
