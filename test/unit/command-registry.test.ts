import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { CommandDefinition } from '../../src/core/command.js';
import { AccessPolicy } from '../../src/access/policy.js';
import { parseConfig } from '../../src/config/load.js';
import { helpCatalog } from '../../src/router/help-entries.js';
import { CommandRegistry } from '../../src/router/registry.js';
import { tokenize } from '../../src/router/tokenize.js';

const root = new URL('../../commands/', import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const isCommand = (value: unknown): value is CommandDefinition =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as CommandDefinition).name === 'string' &&
  (typeof (value as { run?: unknown }).run === 'function' ||
    typeof (value as { plan?: unknown }).plan === 'function') &&
  'args' in value;

describe('commands/', () => {
  it('registers every command defined in commands/ in commands/index.ts', async () => {
    const registered = new Set<unknown>(commands);
    const missing: string[] = [];
    let defined = 0;
    for (const file of filesUnder(root).filter((f) => !f.endsWith('/index.ts'))) {
      const exported = Object.values(await import(file)).filter(isCommand);
      defined += exported.length;
      for (const command of exported) {
        if (!registered.has(command)) missing.push(`${relative(root, file)}: ${command.name}`);
      }
    }
    expect(missing, 'defined in commands/ but not listed in commands/index.ts').toEqual([]);
    expect(defined).toBe(commands.length);
  });

  it('gives every registered command a /ops help entry with a summary, usage and a runnable example', () => {
    const { config } = parseConfig('environments:\n  prod: {}\n', {});
    const registry = new CommandRegistry(commands);
    const help = helpCatalog(registry, new AccessPolicy(config, undefined));
    const problems: string[] = [];
    for (const command of commands) {
      const entry = help.get(command.name);
      if (!entry) problems.push(`${command.name}: no help entry`);
      else if (!entry.summary.trim()) problems.push(`${command.name}: empty summary`);
      if (!command.examples?.length) problems.push(`${command.name}: no example`);
      for (const example of command.examples ?? []) {
        if (registry.resolve(tokenize(example))?.command !== command)
          problems.push(`${command.name}: example "${example}" runs another command`);
      }
    }
    expect(problems).toEqual([]);
  });
});
