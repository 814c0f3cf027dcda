import { fakeServices } from '../support/services.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { createMetrics } from '../../src/http/metrics.js';
import { AccessPolicy } from '../../src/access/policy.js';
import { ActivityLog } from '../../src/activity.js';
import { CommandRegistry } from '../../src/router/registry.js';
import { Dispatcher } from '../../src/router/dispatcher.js';
import { defineCommand } from '../../src/core/command.js';
import type { ApprovalRequest } from '../../src/access/approval-gate.js';

/** The dispatcher consults a command's needsApproval: true goes to the gate, false runs at once. */
describe('needsApproval routing in the dispatcher', () => {
  const { config } = parseConfig('environments:\n  prod: {}\n', {});
  const ran: number[] = [];
  const requests: ApprovalRequest[] = [];
  const resize = defineCommand({
    name: 'resize',
    summary: 'test',
    usage: '<n>',
    risk: 'write',
    positionals: ['n'],
    args: z.object({ n: z.coerce.number() }),
    async plan(ctx, { n }) {
      return {
        command: 'resize',
        env: ctx.envName,
        args: { n },
        summary: `resize to ${n}`,
        effects: [],
        targets: [],
        preconditions: [],
        data: { n },
        plannedAt: new Date().toISOString(),
      };
    },
    async execute(_ctx, { data: { n } }) {
      ran.push(n);
      return { text: `resized to ${n}`, blocks: [] };
    },
    needsApproval: ({ data }) => data.n < 3,
  });
  const log = createLogger('silent');
  const registry = new CommandRegistry([resize]);
  const services = fakeServices({
    access: new AccessPolicy(config, undefined),
    approvals: {
      async request(r: ApprovalRequest) {
        requests.push(r);
        return { text: 'needs approval', blocks: [] };
      },
    },
    audit: { record: async () => undefined, recent: async () => [] },
    activity: new ActivityLog(log),
    clock: () => new Date(),
  });
  const dispatcher = new Dispatcher(config, registry, services, createMetrics());
  const run = (text: string, extra: Partial<Parameters<Dispatcher['dispatch']>[0]> = {}) =>
    dispatcher.dispatch({ text, actor: { id: 'U0ALICE' }, channelId: 'C1', source: 'slack', log, ...extra });

  it('runs when needsApproval says no', async () => {
    const result = await run('resize 5');
    expect(result.kind === 'reply' && result.reply.text).toBe('resized to 5');
    expect(ran).toEqual([5]);
    expect(requests).toHaveLength(0);
  });

  it('asks the gate when needsApproval says yes, and runs nothing', async () => {
    const result = await run('resize 1');
    expect(result.kind === 'reply' && result.reply.text).toBe('needs approval');
    expect(requests.map((r) => r.plan.data)).toEqual([{ n: 1 }]);
    expect(ran).toEqual([5]);
  });

  it('runs an approved plan without planning or asking again', async () => {
    const plan = requests[0].plan;
    await dispatcher.executePlan({
      command: 'resize',
      plan,
      text: 'resize 1',
      actor: { id: 'U0ALICE' },
      channelId: 'C1',
      source: 'slack',
      approved: { approvalId: 'a1', approvedBy: ['U0BOB'] },
      log,
    });
    expect(ran).toEqual([5, 1]);
    expect(requests).toHaveLength(1);
  });

  it('refuses at start-up a dangerous command without plan/execute', () => {
    const sneaky = {
      name: 'nuke',
      summary: 't',
      usage: '',
      risk: 'dangerous',
      args: z.object({}),
      run: async () => ({ text: '', blocks: [] }),
    };
    expect(() => new CommandRegistry([sneaky as never])).toThrow(/gated .* but has no plan\/execute/);
  });

  it('asks for --yes in a terminal', async () => {
    const refused = await run('resize 2', { source: 'cli' });
    expect(refused.kind === 'reply' && refused.reply.text).toMatch(/--yes/);
    await run('resize 2', { source: 'cli', confirmed: true });
    expect(ran).toEqual([5, 1, 2]);
  });
});
