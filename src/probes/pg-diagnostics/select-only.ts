import { UserError } from '../../errors.js';

/**
 * Decides whether a text is exactly one plain SELECT, before it reaches
 * EXPLAIN or a saved query. This is the first line of defence and says why a
 * text is refused; the read-only transaction and statement timeout it then
 * runs under are the backstop (they stop a write this check might miss, and
 * a runaway query).
 */

export interface SelectCheck {
  /** The statement without a trailing semicolon. */
  sql: string;
}

/** Statements that change data, inside a WITH or anywhere else. */
const WRITE_WORDS = new Set(['insert', 'update', 'delete', 'merge', 'truncate', 'copy']);
/** Words that make a SELECT lock rows or create a table. */
const LOCKING = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/;

/**
 * Functions with effects a read-only transaction does not stop: ending
 * sessions, reloading configuration, advisory locks, files, other databases.
 */
const EFFECT_FUNCTIONS =
  /\b(pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_advisory_\w*lock\w*|pg_try_advisory_\w*|pg_switch_wal|pg_create_restore_point|pg_promote|pg_notify|set_config|pg_sleep\w*|dblink\w*|lo_\w+|pg_read_file|pg_read_binary_file|pg_ls_\w+|pg_stat_file|pg_stat_reset\w*|pg_file_\w+|pg_logical_emit_message|pg_replication_origin_\w+|pg_create_\w+_replication_slot|pg_drop_replication_slot)\s*\(/;

function refuse(reason: string): never {
  throw new UserError(
    `Only a single SELECT can be explained or saved: ${reason}.`,
    'Type one read-only query, e.g. `/ops db explain "select * from orders where customer_id = 42"`.',
  );
}

/**
 * The statement with comments removed and literals, quoted identifiers and
 * dollar-quoted bodies blanked, so keywords inside them are not mistaken for
 * the statement's own. Throws on an unterminated quote or comment.
 */
export function codeOnly(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      out += ' ';
    } else if (c === '/' && next === '*') {
      // Postgres block comments nest.
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        const pair = sql.slice(i, i + 2);
        if (pair === '/*') depth++;
        else if (pair === '*/') depth--;
        i += pair === '/*' || pair === '*/' ? 2 : 1;
      }
      if (depth > 0) refuse('a /* comment is never closed');
      out += ' ';
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      const escapes = c === "'" && /[eE]/.test(sql[i - 1] ?? '') && !/\w/.test(sql[i - 2] ?? '');
      for (;;) {
        if (j >= sql.length) refuse(`a ${c === "'" ? 'string' : 'quoted name'} is never closed`);
        if (escapes && sql[j] === '\\') j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      out += c === "'" ? "''" : '"x"';
      i = j + 1;
    } else if (c === '$' && !/\w/.test(sql[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (!tag) {
        out += c;
        i++;
        continue;
      }
      const end = sql.indexOf(tag[0], i + tag[0].length);
      if (end === -1) refuse(`a ${tag[0]} quoted string is never closed`);
      out += "''";
      i = end + tag[0].length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Accepts one SELECT (or WITH … SELECT, or a parenthesised SELECT); refuses anything else with the reason. */
export function checkSingleSelect(text: string): SelectCheck {
  const trimmed = text.trim();
  if (!trimmed) refuse('the query is empty');
  const code = codeOnly(trimmed);
  const semicolon = code.indexOf(';');
  if (semicolon !== -1 && code.slice(semicolon + 1).trim() !== '') {
    refuse('it holds more than one statement (`;` separates statements)');
  }
  const body = semicolon === -1 ? code : code.slice(0, semicolon);
  const lower = body.toLowerCase();
  const first = /^[\s(]*([a-z]+)/.exec(lower)?.[1];
  if (first !== 'select' && first !== 'with') {
    refuse(`it starts with \`${first?.toUpperCase() ?? body.trim().slice(0, 10)}\`, not SELECT`);
  }
  const words: string[] = lower.match(/[a-z_][a-z0-9_$]*/g) ?? [];
  if (LOCKING.test(lower)) refuse('`FOR UPDATE`/`FOR SHARE` locks rows');
  const write = words.find((w) => WRITE_WORDS.has(w));
  if (write) {
    refuse(
      first === 'with'
        ? `its WITH clause holds a data-modifying \`${write.toUpperCase()}\``
        : `it contains \`${write.toUpperCase()}\`, which changes data (quote a column of that name: "${write}")`,
    );
  }
  if (words.includes('into')) refuse('`SELECT … INTO` creates a table');
  const effect = EFFECT_FUNCTIONS.exec(lower);
  if (effect) refuse(`\`${effect[1]}()\` has effects outside the query`);
  const sql = semicolon === -1 ? trimmed : trimmed.slice(0, lastSemicolon(trimmed));
  return { sql: sql.trim() };
}

/** Index of the trailing semicolon in the original text (after which only spaces or comments follow). */
function lastSemicolon(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ';' && codeOnly(text.slice(i + 1)).trim() === '') return i;
  }
  return text.length;
}
