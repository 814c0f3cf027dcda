import { distance } from 'fastest-levenshtein';
import { planProblem, type CommandDefinition } from '../core/command.js';
import type { JobDefinition } from '../core/job.js';

export function usageLine(command: CommandDefinition): string {
  return `/ops ${command.name}${command.usage ? ` ${command.usage}` : ''}`;
}

export interface ResolvedCommand {
  command: CommandDefinition;
  rest: string[];
}

/**
 * The command table built from commands/index.ts. Names are one to three
 * words; the longest name matching the typed words wins ("db kill-idle" over
 * "db"). Duplicate names, job names claimed twice, and a dangerous (or
 * needsApproval) command without plan/execute fail at start-up.
 */
export class CommandRegistry {
  private readonly byName = new Map<string, CommandDefinition>();
  private readonly jobsByName = new Map<string, JobDefinition>();

  constructor(commands: CommandDefinition[]) {
    for (const command of commands) {
      const name = command.name.trim().toLowerCase();
      if (this.byName.has(name)) throw new Error(`duplicate command name "${name}" in commands/index.ts`);
      if (!/^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*){0,2}$/.test(name)) throw new Error(`bad command name "${command.name}"`);
      // What you approve is what runs: a gated command without plan/execute would be re-planned after approval.
      const problem = planProblem(command);
      if (problem) throw new Error(`${problem} (see src/core/command.ts)`);
      this.byName.set(name, command);
      for (const job of command.jobs ?? []) {
        const existing = this.jobsByName.get(job.name);
        if (existing && existing !== job) throw new Error(`job "${job.name}" is defined twice`);
        this.jobsByName.set(job.name, job);
      }
    }
  }

  /** Jobs that belong to the machinery rather than a command (approval expiry, reminders). */
  addJob(job: JobDefinition): void {
    if (this.jobsByName.has(job.name)) throw new Error(`job "${job.name}" is defined twice`);
    this.jobsByName.set(job.name, job);
  }

  all(): CommandDefinition[] {
    return [...this.byName.values()];
  }

  get(name: string): CommandDefinition | undefined {
    return this.byName.get(name);
  }

  job(name: string): JobDefinition | undefined {
    return this.jobsByName.get(name);
  }

  jobs(): JobDefinition[] {
    return [...this.jobsByName.values()];
  }

  resolve(words: string[]): ResolvedCommand | undefined {
    for (let n = Math.min(3, words.length); n >= 1; n--) {
      const command = this.byName.get(words.slice(0, n).join(' ').toLowerCase());
      if (command) return { command, rest: words.slice(n) };
    }
    return undefined;
  }

  /** Commands whose name starts with the given words ("db" → db slow, db size …). */
  withPrefix(words: string[]): CommandDefinition[] {
    const prefix = words.join(' ').toLowerCase();
    return this.all().filter((c) => c.name.startsWith(`${prefix} `));
  }

  /** The closest command name to what was typed, when it is close enough to be a typo. */
  suggest(words: string[]): string | undefined {
    let best: { name: string; score: number } | undefined;
    for (const name of this.byName.keys()) {
      const typed = words.slice(0, name.split(' ').length).join(' ').toLowerCase();
      const score = distance(typed, name);
      if (!best || score < best.score) best = { name, score };
    }
    if (!best) return undefined;
    return best.score <= Math.max(2, Math.floor(best.name.length / 3)) ? best.name : undefined;
  }
}
