// Metric math for GetMetricData: numbers, query ids, + - * /, parentheses and
// FILL(series, value) — what opsbot's own queries use.

export interface Series {
  Timestamps: Date[];
  Values: number[];
}
type Value = number | Map<number, number>;

export function evaluateExpression(expression: string, known: Map<string, Series>): Series {
  const tokens = expression.match(/\d+(\.\d+)?(e[+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/(),]/g) ?? [];
  if (tokens.join('').length !== expression.replace(/\s+/g, '').length) throw new Error('unexpected character');
  const all = new Set<number>();
  for (const s of known.values()) for (const t of s.Timestamps) all.add(t.getTime());
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (want?: string) => {
    const tok = tokens[pos++];
    if (want !== undefined && tok !== want) throw new Error(`expected ${want}`);
    return tok;
  };

  const asMap = (v: Value): Map<number, number> => (typeof v === 'number' ? new Map([...all].map((t) => [t, v])) : v);
  const combine = (a: Value, b: Value, op: (x: number, y: number) => number): Value => {
    if (typeof a === 'number' && typeof b === 'number') return op(a, b);
    const [ma, mb] = [asMap(a), asMap(b)];
    const out = new Map<number, number>();
    for (const [t, x] of ma) {
      const y = mb.get(t);
      if (y === undefined) continue;
      const r = op(x, y);
      if (Number.isFinite(r)) out.set(t, r);
    }
    return out;
  };

  const primary = (): Value => {
    const tok = take();
    if (tok === undefined) throw new Error('unexpected end');
    if (tok === '(') {
      const v = sum();
      take(')');
      return v;
    }
    if (tok === '-') return combine(0, primary(), (x, y) => x - y);
    if (/^\d/.test(tok)) return Number(tok);
    if (peek() === '(') {
      take('(');
      const args: Value[] = [sum()];
      while (peek() === ',') {
        take(',');
        args.push(sum());
      }
      take(')');
      if (tok.toUpperCase() === 'FILL') {
        const series = asMap(args[0]);
        const fill = typeof args[1] === 'number' ? args[1] : 0;
        return new Map([...all].map((t) => [t, series.get(t) ?? fill]));
      }
      if (tok.toUpperCase() === 'ABS') return combine(args[0], 0, (x) => Math.abs(x));
      throw new Error(`unsupported function ${tok}`);
    }
    const s = known.get(tok);
    if (!s) throw new Error(`unknown id ${tok}`);
    return new Map(s.Timestamps.map((t, i) => [t.getTime(), s.Values[i]]));
  };
  const product = (): Value => {
    let v = primary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      v = combine(v, primary(), op === '*' ? (x, y) => x * y : (x, y) => x / y);
    }
    return v;
  };
  const sum = (): Value => {
    let v = product();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      v = combine(v, product(), op === '+' ? (x, y) => x + y : (x, y) => x - y);
    }
    return v;
  };

  const result = asMap(sum());
  if (pos !== tokens.length) throw new Error(`unexpected ${tokens[pos]}`);
  const times = [...result.keys()].sort((a, b) => a - b);
  return { Timestamps: times.map((t) => new Date(t)), Values: times.map((t) => result.get(t)!) };
}
