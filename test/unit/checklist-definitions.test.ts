import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig, ConfigError } from '../../src/config/load.js';
import { BUILTIN_CHECKLISTS } from '../../src/config/builtin-checklists.js';
import { resolveChecklists, scheduledChecklists } from '../../src/checklists/definitions.js';
import { normalizeSchedule } from '../../src/config/schedule.js';
import { ownerMention } from '../../src/checklists/nagging.js';
import { renderChecklistMessage, renderChecklistReminder } from '../../views/checklist-message.js';
import { commands } from '../../commands/index.js';

// CI clones the repository with shared/ beside it, as here: ../shared/seeds from the repository root.
const SEEDS = fileURLToPath(new URL('../../../shared/seeds', import.meta.url));
const haveSeeds = existsSync(SEEDS);
if (!haveSeeds)
  console.warn(
    `checklist-definitions: ${SEEDS} not found — skipping the comparison of built-in checklists with the guides`,
  );

/** The "- [ ] item" lines under a heading, up to the next heading. */
function seedList(guide: string, heading: string, row?: string): string[] | undefined {
  for (const file of readdirSync(SEEDS).filter((f) => f.endsWith('.txt'))) {
    const lines = readFileSync(`${SEEDS}/${file}`, 'utf8').split('\n');
    if (lines[0].trim() !== `# ${guide}`) continue;
    const start = lines.findIndex((l) => /^#{2,5} /.test(l) && l.replace(/^#+ /, '').trim() === heading);
    if (start === -1) return undefined;
    const items: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (/^#/.test(line)) break;
      if (row) {
        // A table row "| Weekly | Review costs, backup verification |": its tasks, comma-separated.
        const cells = line.split('|').map((c) => c.trim());
        if (cells[1] === row) items.push(...cells[2].split(',').map((t) => t.trim()));
        continue;
      }
      const m = /^- \[ \] (.+)$/.exec(line.trim()) ?? /^- (\*\*.+)$/.exec(line.trim());
      if (m) items.push(m[1].replace(/\*\*/g, '').trim());
    }
    return items;
  }
  return undefined;
}

const config = (yaml: string) => parseConfig(`environments: { prod: {} }\n${yaml}`, {}).config;

describe.skipIf(!haveSeeds)('built-in checklists match the operations guides', () => {
  it.each(BUILTIN_CHECKLISTS.map((c) => [c.name, c] as const))(
    '%s has the items of its guide section, in order',
    (_name, list) => {
      const fromGuide = seedList(list.source.guide, list.source.heading, list.source.row);
      expect(fromGuide, `${list.source.guide} › ${list.source.heading}`).toBeDefined();
      expect(list.items.map((i) => i.text)).toEqual(fromGuide);
    },
  );

  it('covers daily (morning, evening), weekly (Mon, Wed, Fri), monthly weeks 1–4, quarterly and the three deployment lists', () => {
    const names = BUILTIN_CHECKLISTS.map((c) => c.name);
    for (const n of [
      'morning',
      'evening',
      'monday',
      'wednesday',
      'friday',
      'monthly-week-1',
      'monthly-week-2',
      'monthly-week-3',
      'monthly-week-4',
      'quarterly',
      'pre-deploy',
      'during-deploy',
      'post-deploy',
    ])
      expect(names).toContain(n);
  });
});

describe('built-in checklist definitions', () => {
  it('have valid schedules, and item commands that are real /ops command names or planned ones', () => {
    for (const list of BUILTIN_CHECKLISTS)
      if (list.schedule) expect(normalizeSchedule(list.schedule), list.name).toMatchObject({ ok: true });
    const names = new Set(commands.map((c) => c.name));
    const planned = new Set(['alarms', 'metrics', 'logs', 'backup list', 'deploy history', 'jobs']);
    for (const item of BUILTIN_CHECKLISTS.flatMap((c) => c.items))
      if (item.command) expect(names.has(item.command) || planned.has(item.command), item.command).toBe(true);
  });
});

describe('checklists in ops.yml', () => {
  it('enables a built-in by name, keeping its items and schedule and overriding the channel', () => {
    const c = config('checklists: { morning: { channel: C0OPS } }');
    const morning = resolveChecklists(c).find((l) => l.name === 'morning')!;
    expect(morning).toMatchObject({
      channel: 'C0OPS',
      schedule: '0 9 * * 1-5',
      configured: true,
      builtin: true,
      dueAfterMs: 4 * 3_600_000,
    });
    expect(morning.items[1]).toEqual({ text: 'Check system health dashboard', command: 'health', runbook: undefined });
    expect(scheduledChecklists(c).map((l) => l.name)).toEqual(['morning']);
    // Built-ins not named stay available on demand, never scheduled.
    expect(resolveChecklists(c).find((l) => l.name === 'pre-deploy')).toMatchObject({
      configured: false,
      schedule: undefined,
    });
  });

  it('takes a team list with items, runbook links, owner, due time and nag settings; on-demand with schedule: none', () => {
    const c = config(`
checklists:
  db-weekly:
    title: DB weekly
    schedule: "0 9 1-7 * 1"
    channel: C0DB
    owner: oncall
    dueAfter: 2h
    escalateAfter: 30m
    items:
      - Look at slow queries
      - { text: Check connections, command: db connections, runbook: "https://wiki.example.com/db" }
  evening: { schedule: none }
  friday: { enabled: false }
`);
    const lists = resolveChecklists(c);
    expect(lists.find((l) => l.name === 'db-weekly')).toMatchObject({
      schedule: '0 9 * * 1#1',
      owner: 'oncall',
      dueAfterMs: 7_200_000,
      escalateAfterMs: 1_800_000,
      items: [
        { text: 'Look at slow queries' },
        { text: 'Check connections', command: 'db connections', runbook: 'https://wiki.example.com/db' },
      ],
    });
    expect(lists.find((l) => l.name === 'evening')).toMatchObject({ schedule: undefined, configured: true });
    expect(lists.find((l) => l.name === 'friday')).toBeUndefined();
  });

  it('names every mistake: unknown list without items, bad cron, a scheduled list without channel, reserved names', () => {
    const fail = (yaml: string) => {
      try {
        config(yaml);
      } catch (err) {
        return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`).join('\n');
      }
      throw new Error('expected a config error');
    };
    expect(fail('checklists: { nightly: { channel: C0OPS } }')).toMatch(
      /checklists\.nightly\.items: there is no built-in checklist "nightly" \(built-ins: morning, evening/,
    );
    expect(fail('checklists: { morning: { channel: C0OPS, schedule: "0 9 1,15 * 1" } }')).toMatch(
      /checklists\.morning\.schedule: .*1#1/,
    );
    expect(fail('checklists: { morning: {} }')).toMatch(/checklists\.morning\.channel: .*needs a channel id/);
    expect(fail('checklists: { status: { items: [a] } }')).toMatch(/subcommand/);
  });
});

describe('checklist views', () => {
  const run = {
    id: '00000000-0000-4000-8000-000000000001',
    checklist: 'morning',
    title: 'Morning operations checklist',
    postedBy: 'opsbot',
    createdAt: new Date('2026-06-01T07:00:00Z'),
    dueAt: new Date('2026-06-01T11:00:00Z'),
    remindersSent: 0,
    items: [
      {
        position: 1,
        text: 'Check system health dashboard',
        command: 'health',
        state: 'done' as const,
        doneBy: 'U0ALICE',
        doneAt: new Date('2026-06-01T07:10:00Z'),
        via: 'run',
      },
      { position: 2, text: 'Verify backup completion status', command: 'backup list', state: 'open' as const },
      {
        position: 3,
        text: 'Check security monitoring dashboard',
        state: 'skipped' as const,
        doneBy: 'U0BOB',
        skipReason: 'dashboard down',
      },
    ],
  };

  it('shows progress, a checkbox per item, Run buttons only for known commands, and who did what', () => {
    const reply = renderChecklistMessage(run, {
      now: new Date('2026-06-01T08:00:00Z'),
      ownerMention: '<!subteam^S0ONCALL>',
      canRun: (c) => c === 'backup list',
    });
    const json = JSON.stringify(reply.blocks);
    expect(reply.tone).toBe('info');
    expect(json).toContain('1/3 done* · 1 skipped');
    expect(json).toContain('▰▰▰▰▰▰▰▱▱▱ 67%');
    expect(json).toContain('checklist.run.2');
    expect(json).not.toContain('checklist.run.1');
    expect(json).toContain('<@U0ALICE>');
    expect(json).toContain('checked by Run');
    expect(json).toContain('skipped by <@U0BOB>');
    expect(json).toContain('<!subteam^S0ONCALL>');
    const checkboxes = reply.blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .filter((e) => e.type === 'checkboxes');
    expect(checkboxes).toHaveLength(3);
    expect(checkboxes.filter((c) => 'initial_options' in c && c.initial_options?.length)).toHaveLength(2);
  });

  it('turns green and credits people when complete; warns, then alarms, when overdue', () => {
    const complete = {
      ...run,
      completedAt: new Date('2026-06-01T09:00:00Z'),
      items: run.items.map((i) => ({ ...i, state: 'done' as const, doneBy: 'U0ALICE' })),
    };
    const done = renderChecklistMessage(complete, { now: new Date('2026-06-01T09:00:00Z'), canRun: () => true });
    expect(done.tone).toBe('ok');
    expect(JSON.stringify(done.blocks)).toMatch(/Completed .* by <@U0ALICE> 3/);
    expect(renderChecklistMessage(run, { now: new Date('2026-06-01T12:00:00Z'), canRun: () => true }).tone).toBe(
      'warning',
    );
    const second = renderChecklistReminder(
      { ...run, remindersSent: 2 },
      2,
      '<@U0ALICE>',
      new Date('2026-06-01T13:00:00Z'),
    );
    expect(second.tone).toBe('danger');
    expect(JSON.stringify(second.blocks)).toContain('2h past due');
  });

  it('mentions owners as users and user groups', () => {
    const c = config('access: { roles: { oncall: { users: [U0ALICE], usergroups: [S0ONCALL] } } }');
    expect(ownerMention('oncall', c)).toBe('<@U0ALICE> <!subteam^S0ONCALL>');
    expect(ownerMention('S0DBA', c)).toBe('<!subteam^S0DBA>');
    expect(ownerMention('nobody', c)).toBeUndefined();
  });
});
