import { describe, expect, it } from 'vitest';
import { checkSingleSelect } from '../../src/probes/pg-diagnostics/select-only.js';
import { UserError } from '../../src/errors.js';

function reason(sql: string): string {
  try {
    checkSingleSelect(sql);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  return 'accepted';
}

describe('checkSingleSelect', () => {
  it('accepts one SELECT, a WITH … SELECT and a parenthesised SELECT, dropping a trailing semicolon', () => {
    expect(checkSingleSelect('select 1;').sql).toBe('select 1');
    expect(checkSingleSelect('  SELECT * FROM orders WHERE id = 1  ').sql).toBe('SELECT * FROM orders WHERE id = 1');
    expect(checkSingleSelect('with t as (select 1 as x) select x from t').sql).toContain('with t');
    expect(checkSingleSelect('(select 1) union (select 2)').sql).toBe('(select 1) union (select 2)');
  });

  it('ignores keywords and semicolons inside strings, quoted names, dollar quotes and comments', () => {
    expect(reason(`select 'a; delete from users' as s`)).toBe('accepted');
    expect(reason(`select "update", "into" from t`)).toBe('accepted');
    expect(reason('select $x$ insert into t $x$')).toBe('accepted');
    expect(reason('select 1 -- ; drop table users\n')).toBe('accepted');
    expect(reason(`select /* nested /* ; */ delete */ 1`)).toBe('accepted');
    expect(reason(`select E'it\\'s; update' as s`)).toBe('accepted');
  });

  it('refuses a second statement after a semicolon', () => {
    expect(reason('select 1; select 2')).toMatch(/more than one statement/);
    expect(reason('select 1; drop table users')).toMatch(/more than one statement/);
  });

  it('refuses statements that are not SELECT', () => {
    expect(reason('delete from users')).toMatch(/starts with `DELETE`/);
    expect(reason('explain analyze delete from users')).toMatch(/starts with `EXPLAIN`/);
    expect(reason('')).toMatch(/empty/);
  });

  it('refuses a CTE holding a data-modifying statement', () => {
    expect(reason('with gone as (delete from users returning *) select count(*) from gone')).toMatch(
      /WITH clause holds a data-modifying `DELETE`/,
    );
    expect(reason('with x as (update t set a = 1 returning a) select * from x')).toMatch(/`UPDATE`/);
    expect(reason('with x as (insert into t values (1) returning *) select * from x')).toMatch(/`INSERT`/);
  });

  it('refuses SELECT INTO, row locks and functions with effects', () => {
    expect(reason('select * into copy_of_users from users')).toMatch(/INTO` creates a table/);
    expect(reason('select * from users for update')).toMatch(/locks rows/);
    expect(reason('select pg_terminate_backend(pid) from pg_stat_activity')).toMatch(/pg_terminate_backend\(\)/);
    expect(reason(`select set_config('x', 'y', false)`)).toMatch(/set_config/);
  });

  it('refuses unterminated quotes and comments instead of guessing', () => {
    expect(reason(`select 'abc`)).toMatch(/string is never closed/);
    expect(reason('select /* x')).toMatch(/comment is never closed/);
    expect(reason('select $a$ x')).toMatch(/never closed/);
  });
});
