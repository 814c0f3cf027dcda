import { z } from 'zod';
import { closest, distance } from 'fastest-levenshtein';
import { UserError } from '../errors.js';
import type { CommandDefinition } from '../core/command.js';
import type { OpsConfig } from '../config/schema.js';
import { usageLine } from './registry.js';

export interface BoundArgs {
  envName: string;
  args: Record<string, unknown>;
  help: boolean;
}

/** Tells flags that take no value (booleans) from ones that do, by looking at the zod schema. */
function isBooleanField(schema: z.ZodType | undefined): boolean {
  let current = schema as z.ZodType | undefined;
  while (current) {
    if (current instanceof z.ZodBoolean) return true;
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
      continue;
    }
    return false;
  }
  return false;
}

/** Words people use for environments: a first word like these that is not configured is a wrong environment, not an argument. */
const ENVIRONMENT_WORDS = new Set([
  'prod',
  'production',
  'prd',
  'live',
  'staging',
  'stage',
  'stg',
  'preprod',
  'pre-prod',
  'preview',
  'dev',
  'develop',
  'development',
  'test',
  'testing',
  'qa',
  'uat',
  'sandbox',
  'demo',
  'local',
]);

/** `staging` when only `prod` is configured, or `prdo` for `prod`: almost an environment name. */
function looksLikeEnvironment(word: string, envNames: string[]): boolean {
  const w = word.toLowerCase();
  if (ENVIRONMENT_WORDS.has(w)) return true;
  const near = closest(w, envNames);
  if (near === undefined || w.length < 3) return false;
  const sameLetters = [...w].sort().join('') === [...near].sort().join('');
  return sameLetters || distance(w, near) <= Math.max(1, Math.floor(near.length / 3));
}

function toCamel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function toKebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Turns the words after the command name into validated arguments:
 * `[env] positionals… --flag value --switch`. Every problem becomes a
 * UserError that names the word at fault and shows the usage.
 */
export function bindArgs(command: CommandDefinition, words: string[], config: OpsConfig): BoundArgs {
  const usage = usageLine(command);
  const fail = (message: string): never => {
    throw new UserError(message, `Usage: \`${usage}\``);
  };
  const shape = command.args.shape as Record<string, z.ZodType>;
  const envNames = Object.keys(config.environments);
  const takesEnv = command.env !== false;
  const flags: Record<string, unknown> = {};
  const positional: string[] = [];
  let help = false;
  let envName: string | undefined;

  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === '--help' || word === '-h') {
      help = true;
      continue;
    }
    if (!word.startsWith('--') || word === '--') {
      positional.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const rawName = word.slice(2, eq === -1 ? undefined : eq);
    const name = toCamel(rawName);
    if (name === 'env' && takesEnv) {
      const value = eq === -1 ? words[++i] : word.slice(eq + 1);
      if (!value) fail('`--env` needs an environment name');
      envName = value;
      continue;
    }
    if (!(name in shape) || command.positionals?.some((p) => p.replace(/^\.\.\./, '') === name)) {
      const known = Object.keys(shape).filter((k) => !command.positionals?.some((p) => p.replace(/^\.\.\./, '') === k));
      const suggestion = known.length ? closest(name, known) : undefined;
      fail(
        `\`${command.name}\` has no option \`--${rawName}\`` +
          (suggestion && distance(name, suggestion) <= 2
            ? `; did you mean \`--${toKebab(suggestion)}\`?`
            : known.length
              ? `; its options are ${known.map((k) => `\`--${toKebab(k)}\``).join(', ')}`
              : '; it takes no options'),
      );
    }
    if (isBooleanField(shape[name])) {
      flags[name] = eq === -1 ? true : !['false', 'no', '0'].includes(word.slice(eq + 1).toLowerCase());
    } else {
      const value = eq === -1 ? words[++i] : word.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) fail(`\`--${rawName}\` needs a value`);
      flags[name] = value;
    }
  }

  if (takesEnv && envName === undefined && positional.length > 0 && envNames.includes(positional[0])) {
    envName = positional.shift();
  } else if (
    takesEnv &&
    envName === undefined &&
    positional.length > 0 &&
    looksLikeEnvironment(positional[0], envNames)
  ) {
    const word = positional[0];
    const near = closest(word.toLowerCase(), envNames);
    throw new UserError(
      `No environment \`${word}\`${distance(word.toLowerCase(), near) <= 2 ? ` — did you mean the environment \`${near}\`?` : '.'} Environments: ${envNames.map((n) => `\`${n}\``).join(', ')}.`,
      `Usage: \`${usage}\`. To pass \`${word}\` as an argument instead, name the environment first: \`/ops ${command.name} ${envNames[0]} ${word}\`.`,
    );
  }
  if (envName !== undefined && !envNames.includes(envName)) {
    throw new UserError(
      `Unknown environment \`${envName}\`. Configured: ${envNames.map((n) => `\`${n}\``).join(', ')}.`,
      `Usage: \`${usage}\``,
    );
  }

  const args: Record<string, unknown> = { ...flags };
  const names = command.positionals ?? [];
  for (const raw of names) {
    const name = raw.replace(/^\.\.\./, '');
    if (raw.startsWith('...')) {
      if (positional.length > 0) args[name] = positional.splice(0).join(' ');
    } else if (positional.length > 0) {
      args[name] = positional.shift();
    }
  }
  if (positional.length > 0) {
    const extra = positional[0];
    const envHint = takesEnv ? closest(extra, envNames) : undefined;
    fail(
      `Unexpected \`${extra}\`` +
        (envHint && distance(extra, envHint) <= 2
          ? ` — did you mean the environment \`${envHint}\`?`
          : takesEnv && names.length === 0
            ? ` — environments are ${envNames.map((n) => `\`${n}\``).join(', ')}`
            : ''),
    );
  }

  const parsed = command.args.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? '');
    const label = names.some((p) => p.replace(/^\.\.\./, '') === field) ? `<${field}>` : `--${toKebab(field)}`;
    const message = issue.code === 'invalid_type' && args[field] === undefined ? 'is required' : issue.message;
    fail(`${field ? `\`${label}\` ` : ''}${message}`);
  }
  return { envName: envName ?? envNames[0], args: parsed.success ? parsed.data : {}, help };
}
