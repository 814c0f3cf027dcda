import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, type OpsConfig } from './schema.js';

export interface ConfigProblem {
  path: string;
  message: string;
}

/** Thrown when the configuration cannot be used; `problems` names every bad field. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${source} is not a valid opsbot configuration:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
}

export interface LoadedConfig {
  config: OpsConfig;
  warnings: ConfigProblem[];
  source: string;
}

export function formatProblem(problem: ConfigProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

/** Reads and validates an ops.yml file; `env` supplies ${VAR} values (process.env in production, a literal in tests). */
export async function loadConfigFile(path: string, env: NodeJS.ProcessEnv): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found; copy ops.example.yml to ops.yml or set OPS_CONFIG'
        : `cannot be read (${code})`;
    throw new ConfigError(path, [{ path: '', message: why }]);
  }
  return parseConfig(text, env, path);
}

export function parseConfig(text: string, env: NodeJS.ProcessEnv, source = 'ops.yml'): LoadedConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const problems: ConfigProblem[] = [];
  const raw = interpolate(doc.toJS() ?? {}, env, [], problems);
  const result = configSchema.safeParse(raw);
  if (!result.success) problems.push(...result.error.issues.map(toProblem));
  if (problems.length > 0 || !result.success) throw new ConfigError(source, problems);
  return { config: result.data, warnings: warningsFor(result.data), source };
}

const VAR_RE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces ${VAR} and ${VAR:-default} in every string; an unset variable without default is a problem at that path. */
function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: (string | number)[],
  problems: ConfigProblem[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(VAR_RE, (_, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(item, env, [...path, i], problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...path, k], problems)]));
  }
  return value;
}

function toProblem(issue: z.core.$ZodIssue): ConfigProblem {
  let message = issue.message;
  if (issue.code === 'unrecognized_keys')
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && message.includes('received undefined')) message = 'required';
  return { path: formatPath(issue.path as (string | number)[]), message };
}

/** environments.prod.health[0].url */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}

/** Things that are valid but probably not what the team meant. */
function warningsFor(config: OpsConfig): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  for (const [name, env] of Object.entries(config.environments)) {
    if (env.health.length === 0 && !env.database && !env.redis) {
      warnings.push({
        path: `environments.${name}`,
        message: 'no health probes, database or redis: /ops health has nothing to check',
      });
    }
    if ((env.beanstalk || env.ecs || env.rds || env.logs) && !env.region) {
      warnings.push({ path: `environments.${name}.region`, message: 'not set: the AWS SDK falls back to AWS_REGION' });
    }
  }
  const dangerousRules = config.access.rules.filter((rule) => rule.approval);
  if (config.access.rules.length > 0 && dangerousRules.length === 0) {
    warnings.push({
      path: 'access.rules',
      message: 'no rule asks for approval: dangerous commands still need a second person',
    });
  }
  return warnings;
}
