import type { CommandDefinition } from '../src/commands/definition.js';
import { help } from './help.js';
import { health } from './health.js';
import { jobsList } from './jobs/list.js';
import { jobsCancel } from './jobs/cancel.js';

/** Every /ops command, listed by hand: the registry rejects duplicate names at start-up. */
export const commands: CommandDefinition[] = [help, health, jobsList, jobsCancel];
