/**
 * Splits a pasted command line into argv the way a POSIX shell would tokenise it, without
 * running anything: quotes, backslash escapes and unquoted `|` (a pipeline stage break).
 * Everything else a shell would act on (`;`, `&&`, `$(…)`, backticks, `>`, globs) stays
 * literal text, and is reported in `literal` so the UI can say it will not be interpreted.
 */

/** The result of splitting: one argv per pipeline stage, or why the line is incomplete. */
export interface SplitResult {
  stages: string[][];
  /** Shell syntax found outside quotes that is passed through as plain text. */
  literal: string[];
  error: string | null;
}

const OPERATORS = [';', '&&', '||', '&', '$(', '`', '>', '<', '*', '?', '~', '${'];

/** Tokenise `line` into pipeline stages of argv arrays. Pure. */
export function splitCommandLine(line: string): SplitResult {
  const stages: string[][] = [];
  const literal = new Set<string>();
  let argv: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  const endWord = (): void => {
    if (inWord) argv.push(cur);
    cur = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) {
        const next = line[++i]!;
        if (next !== '\n') cur += next;
      } else cur += c;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= line.length) return { stages: [], literal: [], error: 'line ends with a lone backslash' };
      const next = line[++i]!;
      if (next !== '\n') {
        cur += next;
        inWord = true;
      }
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      endWord();
      continue;
    }
    if (c === '|' && line[i + 1] !== '|') {
      endWord();
      if (argv.length === 0) return { stages: [], literal: [], error: 'empty pipeline stage before |' };
      stages.push(argv);
      argv = [];
      continue;
    }
    for (const op of OPERATORS) if (line.startsWith(op, i)) literal.add(op);
    if (c === '|') literal.add('||');
    cur += c;
    inWord = true;
    if (c === '|') cur += line[++i]!;
  }
  if (quote)
    return { stages: [], literal: [], error: `unclosed ${quote === "'" ? 'single' : 'double'} quote` };
  endWord();
  if (argv.length === 0 && stages.length > 0) {
    return { stages: [], literal: [], error: 'empty pipeline stage after |' };
  }
  if (argv.length > 0) stages.push(argv);
  return { stages, literal: [...literal], error: null };
}

/** Quote one argument for display so that splitting it again gives it back. */
export function quoteArg(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (!arg.includes("'")) return `'${arg}'`;
  if (!/["\\$`]/.test(arg)) return `"${arg}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** argv stages back to one line (the inverse of `splitCommandLine` for plain argv). */
export function joinCommandLine(stages: readonly (readonly string[])[]): string {
  return stages.map((argv) => argv.map(quoteArg).join(' ')).join(' | ');
}
