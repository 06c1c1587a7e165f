/**
 * Any job value (data, options, return value) made safe to send and show: depth, string
 * length, items, keys and the total size are bounded; whatever is cut is replaced by a
 * marker string that starts with `…`, so the window can say what is missing.
 */
import type { SafeValue } from '../../../shared/contract';

export const SAFE_LIMITS = { depth: 8, string: 2000, items: 100, keys: 100, total: 64 * 1024 } as const;

/** Bound a JSON-like value; `bytes` is the size of its JSON text (null when it has none). */
export function safeValue(v: unknown, limits: typeof SAFE_LIMITS = SAFE_LIMITS): SafeValue {
  let bytes: number | null = null;
  try {
    const text = JSON.stringify(v);
    bytes = text === undefined ? null : Buffer.byteLength(text);
  } catch {
    bytes = null; // cyclic or a BigInt: not JSON, still shown (bounded) below
  }
  let budget = limits.total;
  let truncated = false;
  const cut = (marker: string): string => {
    truncated = true;
    return marker;
  };
  const walk = (x: unknown, depth: number): unknown => {
    if (budget <= 0) return cut('…(truncated)');
    if (x === null || typeof x === 'number' || typeof x === 'boolean') {
      budget -= 8;
      return x;
    }
    if (typeof x === 'string') {
      const s = x.length > limits.string ? x.slice(0, limits.string) : x;
      budget -= s.length + 2;
      return s.length < x.length ? s + cut(`…(${x.length - s.length} more chars)`) : s;
    }
    if (typeof x !== 'object') return cut(`…(${typeof x})`);
    if (Array.isArray(x)) {
      if (depth >= limits.depth) return cut(`…(array of ${x.length})`);
      const out: unknown[] = [];
      for (let i = 0; i < x.length; i++) {
        if (i >= limits.items || budget <= 0) {
          out.push(cut(`…(${x.length - i} more items)`));
          break;
        }
        out.push(walk(x[i], depth + 1));
      }
      return out;
    }
    const keys = Object.keys(x);
    if (depth >= limits.depth) return cut(`…(object of ${keys.length} keys)`);
    const entries: [string, unknown][] = [];
    for (let i = 0; i < keys.length; i++) {
      if (i >= limits.keys || budget <= 0) {
        entries.push(['…', cut(`…(${keys.length - i} more keys)`)]);
        break;
      }
      const k = keys[i]!.slice(0, 256);
      budget -= k.length + 4;
      entries.push([k, walk((x as Record<string, unknown>)[keys[i]!], depth + 1)]);
    }
    // fromEntries defines own properties: a "__proto__" key stays data, never a prototype.
    return Object.fromEntries(entries);
  };
  const value = v === undefined ? null : walk(v, 0);
  return { value, truncated, bytes };
}
