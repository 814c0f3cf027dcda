import { describe, expect, it } from 'vitest';
import { checklistPost } from '../../commands/checklist/post.js';
import { ChecklistService } from '../../src/checklists/service.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { renderReplyAsText } from '../../views/plain-text.js';
import type { CommandContext } from '../../src/core/context.js';
import type { Reply } from '../../views/reply.js';

describe('opsbot run "checklist daily" in a terminal (issue 14, case 11)', () => {
  it('prints the list with its items instead of asking for a channel', async () => {
    const { config } = parseConfig('environments:\n  prod: {}\n', {});
    // No repository: printing a list must not touch the bot's database or Slack.
    const checklists = new ChecklistService({ config, clock: () => new Date('2026-11-23T09:00:00Z') } as never);
    const ctx = {
      command: checklistPost,
      text: 'checklist daily',
      envName: 'prod',
      env: config.environments.prod,
      config,
      actor: { id: 'cli' },
      source: 'cli',
      log: createLogger('silent'),
      services: { checklists },
    } as unknown as CommandContext;
    const reply = (await checklistPost.run(ctx, { name: 'daily' })) as Reply;
    const text = renderReplyAsText(reply);
    expect(text).not.toContain('has no channel');
    const list = checklists.find('daily');
    expect(text).toContain(list.title);
    for (const item of list.items) expect(text).toContain(item.text);
    expect(text).toContain('/ops checklist daily');
  });
});

describe('terminal rendering of Slack times (found by npm run demo:replies)', () => {
  it('prints the fallback of <!date^…|…> instead of the raw token', () => {
    const reply: Reply = {
      text: 'due',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'due by <!date^1796202941^{date_short_pretty} {time}|2026-12-02T09:15:41Z> (4h)',
          },
        },
      ],
    };
    expect(renderReplyAsText(reply)).toBe('due by 2026-12-02T09:15:41Z (4h)');
    // Links keep their address.
    expect(
      renderReplyAsText({
        ...reply,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '<https://x.io|x>' } }],
      }),
    ).toBe('x (https://x.io)');
  });
});
