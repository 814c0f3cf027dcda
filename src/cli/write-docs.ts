import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands } from '../../commands/index.js';
import { renderCommandReference } from '../router/reference.js';

/** `npm run docs`: regenerates docs/commands.md from the command definitions. */
const target = fileURLToPath(new URL('../../docs/commands.md', import.meta.url));
writeFileSync(target, renderCommandReference(commands));
console.log(`wrote ${target} (${commands.length} commands)`);
