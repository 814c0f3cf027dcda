import { UserError } from '../errors.js';
import { ITEM_BLOCK_PREFIX } from '../../views/checklist-message.js';
import type { ChecklistRun } from '../store/checklists.js';

/** An item's actions block is `checklist:<runId>:<position>`; anything else is not a checklist click. */
export function parseBlockId(blockId: string | undefined): [string | undefined, number] {
  if (!blockId?.startsWith(ITEM_BLOCK_PREFIX)) return [undefined, 0];
  const [runId, position] = blockId.slice(ITEM_BLOCK_PREFIX.length).split(':');
  return [runId, Number(position)];
}

/** An item by its number, or by words from its text when exactly one item matches. */
export function pickItem(run: ChecklistRun, typed: string): ChecklistRun['items'][number] {
  const numbers = run.items.map((i) => `${i.position}. ${i.text}`).join('\n');
  if (/^\d+$/.test(typed)) {
    const item = run.items.find((i) => i.position === Number(typed));
    if (!item)
      throw new UserError(`*${run.title}* has items 1–${run.items.length}; there is no item ${typed}.`, numbers);
    return item;
  }
  const matches = run.items.filter((i) => i.text.toLowerCase().includes(typed.toLowerCase()));
  if (matches.length === 1) return matches[0];
  throw new UserError(
    matches.length
      ? `"${typed}" matches ${matches.length} items of *${run.title}*; give its number.`
      : `No item of *${run.title}* mentions "${typed}"; give its number.`,
    numbers,
  );
}
