/** What help shows for one command, including who may run it under the current access rules. */
export interface HelpEntry {
  name: string;
  summary: string;
  usage: string;
  risk: 'read' | 'write' | 'dangerous';
  examples?: string[];
  /** e.g. "oncall role; needs approval by oncall" */
  access?: string;
}

/** The command table as /ops help reads it (the router implements it). */
export interface HelpCatalog {
  all(): HelpEntry[];
  get(name: string): HelpEntry | undefined;
  /** The commands whose name starts with these words ("db" → every db command). */
  withPrefix(words: string[]): HelpEntry[];
  /** The closest command name to what was typed, if any is close. */
  suggest(words: string[]): string | undefined;
}
