import type { HelpEntry } from '../src/core/help.js';
import { context, escapeMrkdwn, header, section, type KnownBlock } from './blocks.js';
import type { Reply } from './reply.js';

export type { HelpEntry } from '../src/core/help.js';

const RISK_BADGE = { read: '', write: ' :pencil2:', dangerous: ' :rotating_light:' } as const;

/** `/ops help`: every command grouped by its first word, one line each. */
export function renderHelp(entries: HelpEntry[], environments: string[]): Reply {
  const groups = new Map<string, HelpEntry[]>();
  for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    const topic = entry.name.split(' ')[0];
    groups.set(topic, [...(groups.get(topic) ?? []), entry]);
  }
  const lines = [...groups.values()].map((group) =>
    group.map((e) => `\`/ops ${e.name}\`${RISK_BADGE[e.risk]} — ${escapeMrkdwn(e.summary)}`).join('\n'),
  );
  const blocks: KnownBlock[] = [header('opsbot commands')];
  // Several topics per section keeps the reply far below 50 blocks however many commands there are.
  let chunk = '';
  for (const text of lines) {
    if (chunk.length + text.length + 2 > 2900) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n\n${text}` : text;
  }
  if (chunk) blocks.push(section(chunk));
  blocks.push(
    context(
      `Environments: ${environments.map((e) => `\`${e}\``).join(', ')} (default \`${environments[0]}\`)`,
      ':pencil2: changes something · :rotating_light: needs approval',
      '`/ops help <command>` for details',
    ),
  );
  return { text: `opsbot: ${entries.length} commands. /ops help <command> for details.`, blocks, ephemeral: true };
}

/** `/ops help db slow`: usage, examples, risk and who may run it. */
export function renderCommandHelp(entry: HelpEntry): Reply {
  const parts = [`*\`/ops ${entry.name}\`* — ${escapeMrkdwn(entry.summary)}`, `Usage: \`${entry.usage}\``];
  if (entry.examples?.length) parts.push(`Examples:\n${entry.examples.map((e) => `• \`/ops ${e}\``).join('\n')}`);
  const notes = [`risk: *${entry.risk}*${RISK_BADGE[entry.risk]}`];
  if (entry.access) notes.push(entry.access);
  return {
    text: `/ops ${entry.name}: ${entry.summary}. Usage: ${entry.usage}`,
    blocks: [section(parts.join('\n')), context(...notes)],
    ephemeral: true,
  };
}
