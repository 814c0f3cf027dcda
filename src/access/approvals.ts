import type { OpsConfig } from '../config/schema.js';
import { DEFAULT_APPROVAL_EXPIRY } from '../config/defaults.js';
import { parseDuration } from '../duration.js';
import { UserError, newErrorRef, isUserError } from '../errors.js';
import type { Logger } from '../log.js';
import { defineJob, type JobDefinition } from '../core/job.js';
import type { JobScheduling } from '../core/job.js';
import type { CommandRunner, JobLauncher } from '../core/runner.js';
import type { Chat } from '../core/chat.js';
import type { Click } from '../core/interactions.js';
import type { Feature } from '../core/feature.js';
import type { ActivityRecorder } from '../activity.js';
import type { AuditOutcome, AuditTrail } from '../store/audit.js';
import type { Approval, ApprovalRepository } from '../store/approvals.js';
import { APPROVE_ACTION, DENY_ACTION, renderApprovalRefusal, renderApprovalRequested } from '../../views/approval.js';
import type { Reply } from '../core/reply.js';
import { renderFailure } from '../../views/errors.js';
import type { ApprovalGate, ApprovalRequest, ApprovedOutcome } from './approval-gate.js';
import type { AccessControl } from './policy.js';
import { ApprovalCards } from './approval-cards.js';
import { whoCanApprove, whyNot } from './approval-refusals.js';

export const EXPIRE_JOB = 'approval.expire';
/** The expiry job fires a little after the deadline, so Postgres' clock agrees that the request has expired. */
const EXPIRY_MARGIN_MS = 1500;

export interface ApprovalServiceDeps {
  config: OpsConfig;
  repo: ApprovalRepository;
  access: AccessControl;
  audit: AuditTrail;
  jobs: JobScheduling;
  /** Executes an approved plan through the router, as its requester (never the command text again). */
  runner: CommandRunner;
  messenger?: Chat;
  jobStarter?: JobLauncher;
  activity: ActivityRecorder;
  log: Logger;
}

/**
 * Two-person approval for dangerous commands: a request is planned once, and
 * the plan becomes a card with Approve / Deny; each click is one atomic update
 * in Postgres; the click that completes the approval (and only that one)
 * executes the stored plan through the dispatcher, as the requester — the
 * command is never planned again. Expiry is a delayed job. Nothing lives in memory.
 */
export class ApprovalService implements ApprovalGate {
  private readonly cards: ApprovalCards;

  constructor(private readonly deps: ApprovalServiceDeps) {
    this.cards = new ApprovalCards(deps);
  }

  async request({ ctx, plan, rule }: ApprovalRequest): Promise<Reply> {
    const effect = plan.effects.join('; ') || plan.summary;
    const expiresInMs = rule?.approval?.expires ?? parseDuration(DEFAULT_APPROVAL_EXPIRY)!;
    const approval = await this.deps.repo.create({
      command: ctx.command.name,
      commandText: ctx.text,
      env: ctx.envName,
      risk: ctx.command.risk,
      effect,
      requestedBy: ctx.actor.id,
      channelId: ctx.channelId,
      approverRoles: rule?.approval?.approvers ?? [],
      requiredCount: rule?.approval?.count ?? 1,
      expiresInMs,
      plan,
    });
    const posted = await this.cards.post(approval);
    if (posted.length === 0) {
      await this.deps.repo.finish(approval.id, 'failed', 'approval card could not be posted');
      throw new UserError(
        'I could not post the approval card, so nothing will run. Invite me to this channel with `/invite @opsbot`, or set `channels.approvals` in ops.yml.',
      );
    }
    await this.deps.jobs.enqueue(
      EXPIRE_JOB,
      {
        data: { approvalId: approval.id },
        meta: { title: `Expire approval for ${ctx.command.name}`, requestedBy: 'opsbot' },
      },
      { idempotent: true, delayMs: expiresInMs + EXPIRY_MARGIN_MS },
    );
    return renderApprovalRequested(approval, posted);
  }

  feature(): Feature {
    return {
      name: 'approvals',
      jobs: [this.expiryJob()],
      actions: [
        { actionId: APPROVE_ACTION, handle: (click) => this.approve(click) },
        { actionId: DENY_ACTION, handle: (click) => this.deny(click) },
      ],
    };
  }

  private expiryJob(): JobDefinition<{ approvalId: string }> {
    return defineJob({
      name: EXPIRE_JOB,
      idempotent: true,
      run: async (_ctx, { approvalId }) => {
        const expired = await this.deps.repo.expire(approvalId);
        if (expired) {
          await this.cards.update(expired);
          await this.audit(expired, 'opsbot', 'expired', { nothingRun: true });
        }
        return { text: expired ? 'approval expired' : 'approval was decided before it expired', blocks: [] };
      },
    });
  }

  private async approve(click: Click): Promise<Reply | undefined> {
    const { repo } = this.deps;
    const approval = await repo.get(click.value);
    if (!approval) return renderApprovalRefusal('This approval request no longer exists.');
    if (approval.requestedBy === click.userId) {
      await this.audit(approval, click.userId, 'refused', { reason: 'requester cannot approve' });
      return renderApprovalRefusal(
        `You asked for \`/ops ${approval.commandText}\`, so someone else must approve it${whoCanApprove(this.deps.access, approval)}.`,
      );
    }
    const refusal = await this.checkApprover(approval, click.userId);
    if (refusal) {
      await this.audit(approval, click.userId, 'refused', { reason: 'not an approver' });
      return refusal;
    }
    const result = await repo.approve(approval.id, click.userId);
    if (result.kind === 'refused') {
      const why = whyNot(result.approval ?? approval, click.userId);
      await this.audit(result.approval ?? approval, click.userId, 'refused', { reason: why });
      return renderApprovalRefusal(why);
    }
    await this.audit(result.approval, click.userId, 'approved', { complete: result.kind === 'approved' });
    await this.cards.update(result.approval);
    if (result.kind === 'approved') await this.execute(result.approval, click);
    return undefined;
  }

  private async deny(click: Click): Promise<Reply | undefined> {
    const approval = await this.deps.repo.get(click.value);
    if (!approval) return renderApprovalRefusal('This approval request no longer exists.');
    // The requester may withdraw; anyone else must be an approver.
    if (approval.requestedBy !== click.userId) {
      const refusal = await this.checkApprover(approval, click.userId);
      if (refusal) return refusal;
    }
    const denied = await this.deps.repo.deny(approval.id, click.userId);
    if (!denied) return renderApprovalRefusal(whyNot(approval, click.userId));
    const withdrawn = denied.requestedBy === click.userId;
    await this.audit(denied, click.userId, withdrawn ? 'withdrawn' : 'rejected', { nothingRun: true });
    await this.cards.update(denied);
    return undefined;
  }

  /** Executes the stored plan as its requester, through the dispatcher (access re-checked, audited). */
  private async execute(approval: Approval, click: Click): Promise<void> {
    const log = click.log.child({ approvalId: approval.id });
    try {
      if (!approval.plan)
        throw new UserError(
          `This request has no stored plan (it was made by an older opsbot), so nothing was run. Ask again with \`/ops ${approval.commandText}\`.`,
        );
      const result = await this.deps.runner.executePlan({
        command: approval.command,
        plan: approval.plan,
        text: approval.commandText,
        actor: { id: approval.requestedBy },
        channelId: approval.channelId,
        source: 'slack',
        approved: { approvalId: approval.id, approvedBy: approval.approvedBy },
        log,
      });
      if (result.kind === 'job') {
        if (!this.deps.jobStarter) throw new Error('no job starter');
        // The job reports its outcome back (settle) through this id; the card says "running" until then.
        const request = {
          job: { ...result.request.job, data: { ...result.request.job.data, approvalId: approval.id } },
        };
        const { jobId } = await this.deps.jobStarter.start(request, result.ctx);
        await this.deps.repo.running(approval.id, jobId);
        await this.cards.update(approval);
        return;
      }
      const failed = result.reply.tone === 'danger' || result.reply.ephemeral;
      const done = await this.deps.repo.finish(
        approval.id,
        failed ? 'failed' : 'executed',
        result.reply.text.slice(0, 500),
      );
      if (done) await this.cards.update(done);
      await this.cards.postInThread(approval, result.reply);
    } catch (err) {
      const ref = newErrorRef();
      log.error({ err, ref }, 'approved command failed to start');
      const reason = isUserError(err) ? err.message : `failed to start (ref ${ref})`;
      const done = await this.deps.repo.finish(approval.id, 'failed', reason);
      if (done) await this.cards.update(done);
      await this.cards.postInThread(approval, renderFailure(approval.command, ref));
    }
  }

  async settle(approvalId: string, outcome: ApprovedOutcome): Promise<void> {
    const done = await this.deps.repo.finish(
      approvalId,
      outcome.ok ? 'executed' : 'failed',
      outcome.text.slice(0, 500),
    );
    if (!done) return;
    await this.cards.update(done);
    const ms = done.decidedAt ? Date.now() - done.decidedAt.getTime() : undefined;
    const result = outcome.planChanged ? 'plan_changed' : outcome.ok ? 'executed' : 'failed';
    await this.audit(done, 'opsbot', result, { outcome: outcome.text, jobId: done.jobId }, ms);
  }

  private async checkApprover(approval: Approval, userId: string): Promise<Reply | undefined> {
    if (approval.approverRoles.length === 0) return undefined;
    const { member, problems } = await this.deps.access.membership(userId, approval.approverRoles);
    if (member) return undefined;
    const extra = problems.length ? ` (could not check: ${problems.join('; ')})` : '';
    return renderApprovalRefusal(
      `Only ${approval.approverRoles.map((r) => `*${r}*`).join(' or ')} can approve \`/ops ${approval.commandText}\`, and you are not in that role${extra}${whoCanApprove(this.deps.access, approval)}.`,
    );
  }

  private async audit(
    approval: Approval,
    actorId: string,
    outcome: AuditOutcome,
    detail: Record<string, unknown>,
    durationMs?: number,
  ): Promise<void> {
    if (approval.channelId) {
      void this.deps.activity.record({
        channelId: approval.channelId,
        kind: 'approval',
        actorId,
        text: `${outcome === 'approval_requested' ? 'requested approval for' : outcome} \`/ops ${approval.commandText}\``,
        detail: { approvalId: approval.id, outcome },
      });
    }
    await this.deps.audit
      .record({
        actorId,
        source: actorId === 'opsbot' ? 'system' : 'slack',
        channelId: approval.channelId,
        command: approval.command,
        text: approval.commandText,
        env: approval.env,
        outcome,
        durationMs,
        detail: { approvalId: approval.id, approvedBy: approval.approvedBy, plan: approval.plan, ...detail },
      })
      .catch((err) => this.deps.log.error({ err }, 'audit write failed'));
  }
}
