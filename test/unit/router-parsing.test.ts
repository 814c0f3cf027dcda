import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../../src/config/load.js';
import { defineCommand } from '../../src/core/command.js';
import { bindArgs } from '../../src/router/bind-args.js';
import { CommandRegistry } from '../../src/router/registry.js';
import { tokenize } from '../../src/router/tokenize.js';
import { durationSchema } from '../../src/duration.js';
import { UserError } from '../../src/errors.js';
import { commands } from '../../commands/index.js';

const { config } = parseConfig('environments:\n  prod: {}\n  staging: {}\n', {});
const noop = async () => ({ text: '', blocks: [] });

const logs = defineCommand({
  name: 'logs',
  summary: 'logs',
  usage: '[env] [pattern] [--since 15m] [--errors]',
  risk: 'read',
  positionals: ['pattern'],
  args: z.object({
    pattern: z.string().optional(),
    since: durationSchema.prefault('15m'),
    errors: z.boolean().default(false),
    limit: z.coerce.number().int().min(1).max(100).default(10),
  }),
  run: noop,
});
const declare = defineCommand({
  name: 'incident declare',
  summary: 'x',
  usage: '<P0-P4> <title>',
  risk: 'write',
  env: false,
  positionals: ['severity', '...title'],
  args: z.object({ severity: z.enum(['P0', 'P1']), title: z.string() }),
  run: noop,
});

function bindError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
}

describe('tokenize', () => {
  it('honours straight and typographic quotes and undoes Slack escaping', () => {
    expect(tokenize('logs prod "connection reset" --since 1h')).toEqual([
      'logs',
      'prod',
      'connection reset',
      '--since',
      '1h',
    ]);
    expect(tokenize('logs \u201Cconnection reset\u201D')).toEqual(['logs', 'connection reset']);
    expect(tokenize('db slow --by mean &amp;&gt;')).toEqual(['db', 'slow', '--by', 'mean', '&>']);
    expect(tokenize('   ')).toEqual([]);
  });
});

describe('bindArgs', () => {
  it('takes the environment from the first word when it names one, else the default', () => {
    expect(bindArgs(logs, ['staging', 'ERROR'], config)).toMatchObject({
      envName: 'staging',
      args: { pattern: 'ERROR' },
    });
    expect(bindArgs(logs, ['ERROR'], config)).toMatchObject({ envName: 'prod', args: { pattern: 'ERROR' } });
    expect(bindArgs(logs, ['--env', 'staging'], config).envName).toBe('staging');
  });

  it('parses value flags, boolean switches, --flag=value and durations', () => {
    const { args } = bindArgs(logs, ['--since=2h', '--errors', '--limit', '20'], config);
    expect(args).toEqual({ since: 7_200_000, errors: true, limit: 20 });
  });

  it('joins the rest of the words for a variadic positional', () => {
    expect(bindArgs(declare, ['P1', 'Checkout', 'is', 'failing'], config).args).toEqual({
      severity: 'P1',
      title: 'Checkout is failing',
    });
  });

  it('names the unknown option and suggests the close one', () => {
    const err = bindError(() => bindArgs(logs, ['--sinc', '1h'], config));
    expect(err.message).toContain('`logs` has no option `--sinc`; did you mean `--since`?');
    expect(err.hint).toContain('/ops logs [env] [pattern]');
  });

  it('explains a bad duration and an out-of-range number', () => {
    expect(bindError(() => bindArgs(logs, ['--since', 'soon'], config)).message).toContain('"soon" is not a duration');
    expect(bindError(() => bindArgs(logs, ['--limit', '500'], config)).message).toMatch(/`--limit`.*100/);
  });

  it('refuses a first word that is almost an environment instead of taking it as an argument (issue 14, case 6)', () => {
    const prodOnly = parseConfig('environments:\n  prod: {}\n', {}).config;
    const wrong = bindError(() => bindArgs(logs, ['staging'], prodOnly));
    expect(wrong.message).toBe('No environment `staging`. Environments: `prod`.');
    expect(wrong.hint).toContain('`/ops logs prod staging`');
    expect(bindError(() => bindArgs(logs, ['prdo'], prodOnly)).message).toContain(
      'did you mean the environment `prod`?',
    );
    // Named after a real environment, the same word is an argument again.
    expect(bindArgs(logs, ['prod', 'staging'], prodOnly)).toMatchObject({ envName: 'prod' });
    expect(bindArgs(logs, ['timeout'], prodOnly).envName).toBe('prod');
  });

  it('rejects an unknown environment given with --env and lists the configured ones', () => {
    expect(bindError(() => bindArgs(logs, ['--env', 'qa'], config)).message).toBe(
      'Unknown environment `qa`. Configured: `prod`, `staging`.',
    );
  });

  it('points a typo of an environment at the right name', () => {
    const health = commands.find((c) => c.name === 'health')!;
    expect(bindError(() => bindArgs(health, ['prdo'], config)).message).toContain(
      'did you mean the environment `prod`?',
    );
  });

  it('says which positional is missing', () => {
    expect(bindError(() => bindArgs(declare, [], config)).message).toContain('`<severity>`');
  });

  it('recognises --help', () => {
    expect(bindArgs(logs, ['--help'], config).help).toBe(true);
  });
});

describe('CommandRegistry', () => {
  it('prefers the longest matching name', () => {
    const registry = new CommandRegistry([
      logs,
      declare,
      defineCommand({ name: 'incident', summary: 'x', usage: '', risk: 'read', args: z.object({}), run: noop }),
    ]);
    expect(registry.resolve(['incident', 'declare', 'P1', 'x'])?.command.name).toBe('incident declare');
    expect(registry.resolve(['incident', 'list'])?.command.name).toBe('incident');
  });

  it('fails at start-up on a duplicate name', () => {
    expect(() => new CommandRegistry([logs, logs])).toThrow('duplicate command name "logs"');
  });

  it('suggests the closest command for a typo, and nothing for noise', () => {
    const registry = new CommandRegistry(commands);
    expect(registry.suggest(['helth'])).toBe('health');
    expect(registry.suggest(['jbos'])).toBe('jobs');
    expect(registry.suggest(['qwertyuiop'])).toBeUndefined();
  });

  it('accepts the real command list', () => {
    expect(() => new CommandRegistry(commands)).not.toThrow();
  });
});
