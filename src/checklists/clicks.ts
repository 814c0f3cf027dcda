import type { Click } from '../core/interactions.js';
import { replyVerdict, type Reply } from '../core/reply.js';
import type { CommandRunner, JobLauncher } from '../core/runner.js';
import type { ChecklistRepository } from '../store/checklists.js';
import { renderChecklistRunQueued } from '../../views/checklist-notice.js';
import { renderChecklistRunResult } from '../../views/checklist-message.js';
import { parseBlockId } from './items.js';
import type { ChecklistMessages } from './messages.js';

export interface ClickDeps {
  repo: ChecklistRepository;
  runner: CommandRunner;
  jobStarter?: JobLauncher;
  messages: ChecklistMessages;
}

/** A checkbox click: ticked when its option is selected, unticked when not. Idempotent. */
export async function tickItem(deps: ClickDeps, click: Click): Promise<Reply | undefined> {
  const [runId, position] = parseBlockId(click.blockId);
  if (!runId) return undefined;
  const checked = (click.selected ?? []).length > 0;
  const { repo } = deps;
  if (checked) await repo.tick(runId, position, click.userId, 'click');
  else await repo.untick(runId, position, click.userId);
  await repo.settle(runId);
  await deps.messages.refresh(runId);
  return undefined;
}

/** A Run button: the item's command runs as the clicker; only the command's own good verdict ticks the item. */
export async function runItem(deps: ClickDeps, click: Click): Promise<Reply | undefined> {
  const [runId, positionText] = click.value.split(':');
  const run = await deps.repo.get(runId ?? '');
  const item = run?.items.find((i) => i.position === Number(positionText));
  if (!run || !item?.command) return undefined;
  const log = click.log.child({ runId, item: item.position });
  const result = await deps.runner.dispatch({
    text: item.command,
    actor: { id: click.userId, name: click.userName },
    channelId: run.channelId,
    source: 'slack',
    log,
  });
  if (result.kind === 'job') {
    if (!deps.jobStarter) throw new Error('no job starter');
    const { jobId, note } = await deps.jobStarter.start(result.request, result.ctx);
    await deps.messages.thread(run, renderChecklistRunQueued(click.userId, item.command, item.position, jobId));
    return note;
  }
  // Refusals and approval requests are meant for the clicker alone.
  if (result.reply.ephemeral) return result.reply;
  const passed = replyVerdict(result.reply) === 'good';
  const ticked = passed && (await deps.repo.tick(run.id, item.position, click.userId, 'run'));
  await deps.repo.event(
    run.id,
    item.position,
    click.userId,
    passed ? 'run_passed' : 'run_failed',
    result.reply.text.slice(0, 300),
  );
  await deps.repo.settle(run.id);
  await deps.messages.thread(run, renderChecklistRunResult(item, click.userId, result.reply, ticked));
  await deps.messages.refresh(run.id);
  return undefined;
}
