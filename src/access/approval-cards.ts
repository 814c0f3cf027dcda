import type { OpsConfig } from '../config/schema.js';
import type { Chat } from '../core/chat.js';
import type { Reply } from '../core/reply.js';
import type { Logger } from '../log.js';
import type { Approval, ApprovalRepository } from '../store/approvals.js';
import { renderApprovalCard } from '../../views/approval.js';

// The approval card in Slack: posted where it was asked and in the approvals channel, kept current on
// every click, and the outcome in its thread. A card that cannot be posted is logged, never fatal.

export interface ApprovalCardDeps {
  config: OpsConfig;
  repo: ApprovalRepository;
  messenger?: Chat;
  log: Logger;
}

export class ApprovalCards {
  constructor(private readonly deps: ApprovalCardDeps) {}

  async post(approval: Approval): Promise<string[]> {
    const { messenger, config, repo, log } = this.deps;
    if (!messenger) return [];
    const channels = [
      ...new Set([approval.channelId, config.channels.approvals].filter((c): c is string => Boolean(c))),
    ];
    const posted: string[] = [];
    for (const channel of channels) {
      try {
        const card = await messenger.postJoining(channel, renderApprovalCard(approval));
        await repo.addCard(approval.id, card);
        posted.push(channel);
      } catch (err) {
        log.warn({ err, channel, approvalId: approval.id }, 'could not post an approval card');
      }
    }
    return posted;
  }

  async update(approval: Approval): Promise<void> {
    const { messenger, repo, log } = this.deps;
    if (!messenger) return;
    const fresh = (await repo.get(approval.id)) ?? approval;
    for (const card of fresh.cards) {
      await messenger
        .update(card, renderApprovalCard(fresh))
        .catch((err) => log.warn({ err, card }, 'could not update an approval card'));
    }
  }

  async postInThread(approval: Approval, reply: Reply): Promise<void> {
    const card = (await this.deps.repo.get(approval.id))?.cards[0];
    if (!card || !this.deps.messenger) return;
    await this.deps.messenger
      .post(card.channel, reply, card.ts)
      .catch((err) => this.deps.log.warn({ err }, 'could not post the outcome in the thread'));
  }
}
