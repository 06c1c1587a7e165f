/** The env editor's text: `NAME=value` adds, `-NAME` removes, one per line; blank lines and # comments skipped. */
export interface EnvEdit {
  set: Record<string, string>;
  unset: string[];
  error: string | null;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseEnv(text: string): EnvEdit {
  const set: Record<string, string> = {};
  const unset: string[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('-')) {
      const name = line.slice(1).trim();
      if (!NAME.test(name))
        return { set, unset, error: `line ${i + 1}: invalid name ${JSON.stringify(name)}` };
      unset.push(name);
      continue;
    }
    const eq = raw.indexOf('=');
    const name = (eq < 0 ? raw : raw.slice(0, eq)).trim();
    if (eq < 0 || !NAME.test(name)) {
      return { set, unset, error: `line ${i + 1}: expected NAME=value or -NAME` };
    }
    set[name] = raw.slice(eq + 1);
  }
  return { set, unset, error: null };
}
