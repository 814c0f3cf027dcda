import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../commands/index.js';
import { defineCommand } from '../../src/core/command.js';
import { renderCommandReference } from '../../src/router/reference.js';

const docsPath = new URL('../../docs/commands.md', import.meta.url);

describe('docs/commands.md', () => {
  it('is what npm run docs writes from commands/index.ts', () => {
    const written = readFileSync(docsPath, 'utf8');
    expect(written === renderCommandReference(commands), 'docs/commands.md is stale: run npm run docs').toBe(true);
  });

  it('has a section and a usage line for every registered command', () => {
    const text = renderCommandReference(commands);
    for (const command of commands) {
      expect(text).toContain(`### /ops ${command.name}\n`);
      expect(text).toContain(`\`/ops ${command.name}${command.usage ? ` ${command.usage}` : ''}\``);
    }
  });

  it('marks every dangerous command, and only those, as needing approval', () => {
    const text = renderCommandReference(commands);
    const dangerous = commands.filter((c) => c.risk === 'dangerous').map((c) => c.name);
    expect(dangerous).toEqual(expect.arrayContaining(['rollback', 'restore', 'db kill-idle']));
    for (const section of text.split('\n### /ops ').slice(1)) {
      const name = section.slice(0, section.indexOf('\n'));
      const marked = section.includes('**`dangerous`: needs approval by a second person**');
      expect(marked, name).toBe(dangerous.includes(name));
    }
  });
});

describe('renderCommandReference', () => {
  const noArgs = z.object({});
  const run = async () => ({ text: '', blocks: [] });
  const planned = {
    plan: async () => ({
      command: 'x',
      env: 'prod',
      args: {},
      summary: '',
      effects: [],
      targets: [],
      preconditions: [],
      data: {},
      plannedAt: '',
    }),
    execute: run,
  };
  const sample = [
    defineCommand({
      name: 'db slow',
      summary: 'Slow <env> *queries*',
      usage: '[env]',
      risk: 'read',
      args: noArgs,
      run,
    }),
    defineCommand({ name: 'alerts', summary: 'Alerts', usage: '', risk: 'read', env: false, args: noArgs, run }),
    defineCommand({
      name: 'db kill',
      summary: 'End one',
      usage: '[env] <pid>',
      examples: ['db kill prod 42'],
      risk: 'dangerous',
      args: noArgs,
      ...planned,
    }),
    defineCommand({
      name: 'scale',
      summary: 'Scale',
      usage: '<count>',
      risk: 'write',
      args: noArgs,
      ...planned,
      needsApproval: () => true,
    }),
  ];
  const text = renderCommandReference(sample);

  it('groups commands by their first word, in registration order, with a linked table of contents', () => {
    expect(text.indexOf('## db')).toBeLessThan(text.indexOf('## alerts'));
    expect(text.indexOf('### /ops db kill')).toBeLessThan(text.indexOf('## alerts'));
    expect(text).toContain('- **db**: [db slow](#ops-db-slow) · [db kill](#ops-db-kill)\n');
  });

  it('shows usage, examples, the environment note and conditional approval', () => {
    expect(text).toContain('`/ops db kill [env] <pid>`');
    expect(text).toContain('```\n/ops db kill prod 42\n```');
    expect(text).toContain('`/ops alerts`\n');
    expect(text).toMatch(/### \/ops alerts\n\n`\/ops alerts`\n\nAlerts\n\nRisk: `read`\n/);
    expect(text).toContain('Risk: `read` · takes an environment');
    expect(text).toContain('`write`, **needs approval in some cases**');
  });

  it('escapes Markdown in summaries', () => {
    expect(text).toContain('Slow \\<env\\> \\*queries\\*');
  });
});
