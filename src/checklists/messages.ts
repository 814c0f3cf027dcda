import type { OpsConfig } from '../config/schema.js';
import type { Chat } from '../core/chat.js';
import type { Reply } from '../core/reply.js';
import type { CommandRunner } from '../core/runner.js';
import type { Logger } from '../log.js';
import type { ChecklistRepository, ChecklistRun } from '../store/checklists.js';
import { renderChecklistMessage } from '../../views/checklist-message.js';
import { ownerMention } from './nagging.js';

export interface ChecklistMessageDeps {
  config: OpsConfig;
  repo: ChecklistRepository;
  runner: CommandRunner;
  messenger?: Chat;
  log: Logger;
  clock: () => Date;
}

/** A run's Slack message: drawn from the run, redrawn after every change, and its thread. */
export class ChecklistMessages {
  constructor(private readonly deps: ChecklistMessageDeps) {}

  render(run: ChecklistRun): Reply {
    return renderChecklistMessage(run, {
      now: this.deps.clock(),
      ownerMention: ownerMention(run.owner, this.deps.config),
      canRun: (command) => this.deps.runner.knows(command),
    });
  }

  /** Re-reads the run and redraws its message (best-effort: a failed update is logged). */
  async refresh(runId: string): Promise<ChecklistRun | undefined> {
    const run = await this.deps.repo.get(runId);
    if (!run?.messageTs || !this.deps.messenger) return run;
    await this.deps.messenger
      .update({ channel: run.channelId, ts: run.messageTs }, this.render(run))
      .catch((err) => this.deps.log.warn({ err, runId }, 'could not update a checklist message'));
    return run;
  }

  /** A reply in the run's thread; `broadcast` also shows it in the channel. */
  async thread(run: ChecklistRun, reply: Reply, broadcast = false): Promise<void> {
    const { messenger, log } = this.deps;
    if (!messenger || !run.messageTs) return;
    try {
      await messenger.post(run.channelId, reply, run.messageTs, { broadcast });
    } catch (err) {
      log.warn({ err, runId: run.id }, 'could not post in a checklist thread');
    }
  }
}
