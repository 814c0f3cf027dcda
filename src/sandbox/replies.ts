// `npm run demo:replies`: starts the demo, asks the eleven questions of issue 14's "Wrong or confusing
// replies seen" list the way a newcomer did, and prints opsbot's answers. Terminal cases go through the
// same runner as `opsbot run`; Slack cases (a checklist posted in a channel, its Run button, an incident's
// notifications) go through the dispatcher and the feature's button handler, and print what was posted.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCommandInTerminal } from '../cli/run-command.js';
import { replyVerdict, type Reply } from '../core/reply.js';
import { ChecklistRepository } from '../store/checklists.js';
import { RUN_ACTION_PREFIX } from '../../views/checklist-message.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import { LATENCY_INCIDENT } from './aws/signals.js';
import type { Demo } from './launch.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHANNEL = 'C0OPS';
const ALICE = 'U0ALICE';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export async function captureReplies(demo: Demo, print: (text: string) => void): Promise<void> {
  const { runtime, fake } = demo;
  const log = runtime.options.log.child({ source: 'replies' });
  const section = (n: number, title: string, body: string) => print(`\n━━ ${n}. ${title}\n${body.trimEnd()}\n`);
  const terminal = async (text: string, as = ALICE) => {
    const out = new Capture();
    const code = await runCommandInTerminal(runtime, text, { as }, out);
    return `$ opsbot run "${text}"   (exit ${code})\n${out.text}`;
  };
  /** As typed in a Slack channel: the reply, and the reply object for its verdict. */
  const inSlack = async (text: string): Promise<{ shown: string; reply?: Reply }> => {
    const result = await runtime.dispatcher.dispatch({
      text,
      actor: { id: ALICE, name: 'alice' },
      channelId: CHANNEL,
      source: 'slack',
      log,
    });
    if (result.kind !== 'reply') return { shown: `/ops ${text}\n(started as a job: ${result.request.job.title})` };
    return { shown: `/ops ${text}\n${renderReplyAsText(result.reply)}`, reply: result.reply };
  };
  const postedSince = (mark: number, match: (text: string) => boolean) =>
    fake
      .callsTo('chat.postMessage')
      .slice(mark)
      .map(
        (c) =>
          c.args as { channel?: string; text?: string; blocks?: unknown[]; attachments?: { blocks?: unknown[] }[] },
      )
      .filter((a) => match(JSON.stringify(a)))
      .map((a) => {
        // A reply with a tone is posted as an attachment (the colour bar) carrying the blocks.
        const blocks = messageBlocks(a);
        return `[posted in ${a.channel}] ${renderReplyAsText({ text: a.text ?? '', blocks: blocks as never })}`;
      });

  // Cases 1–3 need the demo's latency incident: it starts 45 s after the simulator, then give it a minute.
  const incidentAt = demo.aws.fleet.startedAt + LATENCY_INCIDENT.firstAfterMs + 75_000;
  const wait = incidentAt - Date.now();
  if (wait > 0) {
    print(`(waiting ${Math.round(wait / 1000)} s for the demo's latency incident…)`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const metrics = await terminal('metrics --since 15m');
  section(1, 'metrics during the latency alarm (the whole window is judged)', metrics);
  section(2, 'status during the same minute (one health source, events newest first)', await terminal('status'));
  section(3, 'sparklines: one cell per datapoint, gaps only where data is missing', sparklineReport(metrics));

  const mark = fake.callsTo('chat.postMessage').length;
  const declared = await inSlack('incident declare P1 Checkout is slow');
  const id = /INC-(\d+)/.exec(declared.shown)?.[1];
  const lowered = await inSlack(`incident severity P2 --id ${id}`);
  await waitFor(() => postedSince(mark, (t) => t.includes('changed') && t.includes('P2')).length > 0);
  section(
    4,
    'incident notifications keep emoji codes and identifiers',
    [lowered.shown, ...postedSince(mark, (t) => t.includes('changed') && t.includes('P2')), ...updatedCard(demo)].join(
      '\n',
    ),
  );

  section(5, '`help` with no USER and no reachable bot database', await helpWithoutDatabase());
  section(6, 'an argument that is almost an environment name', await terminal('logs staging'));
  section(7, 'db cache', await terminal('db cache'));

  const posted = await inSlack('checklist daily');
  section(
    8,
    'checklist status with a run that is not yet due',
    `${posted.shown}\n\n${await terminal('checklist status')}`,
  );

  const verify = await terminal('backup verify');
  const list = await inSlack('backup list');
  const runMark = fake.callsTo('chat.postMessage').length;
  const clicked = await clickRun(demo, 'backup list');
  await waitFor(() => postedSince(runMark, (t) => t.includes('backup list')).length > 0).catch(() => undefined);
  section(
    9,
    "a checklist Run of `backup list` after a failed `backup verify` (ticks only on the command's own good verdict)",
    [
      verify,
      list.shown,
      `verdict of this reply: ${list.reply ? replyVerdict(list.reply) : 'n/a'}`,
      clicked,
      ...postedSince(runMark, (t) => t.includes('backup list')),
    ].join('\n'),
  );

  section(10, 'db slow on the demo database (pg_stat_statements enabled)', await terminal('db slow'));
  section(11, 'checklist daily from the terminal prints the list', await terminal('checklist daily'));
}

/** Case 3, from case 1's reply: each row's sparkline cells against the one-minute points of the window. */
function sparklineReport(metricsReply: string): string {
  const rows = [
    ...metricsReply.matchAll(
      /^:[a-z_]+: (.+?) [\d.]+(?: [^ (]+)? \((?:max|min) [^)]*\) ([▁▂▃▄▅▆▇█ ]+?) {1,2}(?:[<>]|$)/gmu,
    ),
  ];
  const lines = rows.map((m) => {
    const cells = [...m[2]];
    const gaps = cells.filter((c) => c === ' ').length;
    return `${m[1]}: ${cells.length} cells, ${gaps} gap${gaps === 1 ? '' : 's'}`;
  });
  return [
    `Sparklines of case 1 (one cell per one-minute datapoint; a gap only where a minute has no data):`,
    ...lines,
  ].join('\n');
}

/** A recorded message's blocks: its own and its attachments' (the Web API may send either as a JSON string). */
function messageBlocks(args: { blocks?: unknown; attachments?: unknown }): unknown[] {
  const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
  const attachments = (parse(args.attachments) ?? []) as { blocks?: unknown }[];
  return [
    ...((parse(args.blocks) ?? []) as unknown[]),
    ...attachments.flatMap((x) => (parse(x.blocks) ?? []) as unknown[]),
  ];
}

/** The incident card as it reads after the severity change (chat.update of the pinned card). */
function updatedCard(demo: Demo): string[] {
  const update = demo.fake
    .callsTo('chat.update')
    .map(
      (c) => c.args as { channel?: string; text?: string; blocks?: unknown[]; attachments?: { blocks?: unknown[] }[] },
    )
    .filter((a) => JSON.stringify(a).includes('Response target'))
    .pop();
  if (!update) return [];
  const blocks = messageBlocks(update);
  return [
    `[card updated in ${update.channel}]\n${renderReplyAsText({ text: update.text ?? '', blocks: blocks as never })}`,
  ];
}

/** Presses the Run button of the newest open run's item whose command is `command`, as Alice. */
async function clickRun(demo: Demo, command: string): Promise<string> {
  const { runtime } = demo;
  const run = await new ChecklistRepository(runtime.pool).latestOpen(CHANNEL);
  const item = run?.items.find((i) => i.command === command);
  if (!run || !item) return `(no open checklist run with a \`${command}\` item in ${CHANNEL})`;
  const listener = runtime.features.flatMap((f) => f.actions ?? []).find((a) => a.actionId === `${RUN_ACTION_PREFIX}*`);
  if (!listener) return '(no checklist Run button handler)';
  const reply = await listener.handle({
    actionId: `${RUN_ACTION_PREFIX}${item.position}`,
    value: `${run.id}:${item.position}`,
    userId: ALICE,
    userName: 'alice',
    channelId: CHANNEL,
    log: runtime.options.log,
  });
  return `[pressed Run on item ${item.position} "${item.text}"]${reply ? `\n${renderReplyAsText(reply)}` : ''}`;
}

/** Case 5: the real entry point as a child process, with no USER and nothing listening for the bot's database. */
async function helpWithoutDatabase(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-replies-'));
  writeFileSync(join(dir, 'ops.yml'), 'environments:\n  prod: {}\n');
  const env = { PATH: process.env.PATH, OPS_CONFIG: join(dir, 'ops.yml'), LOG_LEVEL: 'silent' };
  const run = promisify(execFile);
  const lines: string[] = ['$ env -u USER -u DATABASE_URL opsbot run "help"'];
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'run', 'help'], {
      cwd: ROOT,
      env,
      timeout: 60_000,
    });
    lines.push('(exit 0)', ...stdout.split('\n').slice(0, 12), '…', stderr.trim());
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    lines.push(`(exit ${e.code})`, e.stdout ?? '', e.stderr ?? '');
  }
  return lines.filter((l) => l !== '').join('\n');
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
