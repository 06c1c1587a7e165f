import { describe, expect, it } from 'vitest';
import { joinCommandLine, splitCommandLine } from './split-command';

const argv = (line: string): string[][] => splitCommandLine(line).stages;

describe('splitCommandLine', () => {
  it('splits on blanks and keeps quoted blanks', () => {
    expect(argv(`echo  "a b"   'c  d' e`)).toEqual([['echo', 'a b', 'c  d', 'e']]);
  });

  it('handles backslash escapes outside and inside double quotes, not inside single', () => {
    expect(argv(String.raw`a\ b "x\"y\$z\q" 'p\q'`)).toEqual([['a b', 'x"y$z\\q', 'p\\q']]);
  });

  it('keeps empty quoted arguments and joins adjacent quoted parts', () => {
    expect(argv(`cmd "" ''  a"b"'c'`)).toEqual([['cmd', '', '', 'abc']]);
  });

  it('splits pipeline stages on unquoted |, not quoted or ||', () => {
    expect(argv(`cat f | grep "a|b" | wc -l`)).toEqual([
      ['cat', 'f'],
      ['grep', 'a|b'],
      ['wc', '-l'],
    ]);
    const r = splitCommandLine('a || b');
    expect(r.stages).toEqual([['a', '||', 'b']]);
    expect(r.literal).toContain('||');
  });

  it('passes shell operators through literally and names them', () => {
    const r = splitCommandLine('echo ; rm -rf x $(touch y) `id` > out');
    expect(r.stages).toEqual([['echo', ';', 'rm', '-rf', 'x', '$(touch', 'y)', '`id`', '>', 'out']]);
    expect(r.literal).toEqual(expect.arrayContaining([';', '$(', '`', '>']));
  });

  it('reports unclosed quotes, lone backslashes and empty stages', () => {
    expect(splitCommandLine(`echo "abc`).error).toMatch(/unclosed double/);
    expect(splitCommandLine(`echo 'abc`).error).toMatch(/unclosed single/);
    expect(splitCommandLine('echo \\').error).toMatch(/backslash/);
    expect(splitCommandLine('| wc').error).toMatch(/empty pipeline stage/);
    expect(splitCommandLine('ls |').error).toMatch(/empty pipeline stage/);
  });

  it('round-trips through joinCommandLine', () => {
    const stages = [
      ['printf', "it's %s\n", 'a b', ''],
      ['tr', 'a-z', 'A-Z'],
    ];
    expect(argv(joinCommandLine(stages))).toEqual(stages);
    const hard = [['node', '-e', `console.log('a "b" $HOME \\ \`x\`')`]];
    expect(argv(joinCommandLine(hard))).toEqual(hard);
    expect(joinCommandLine([['echo', "it's"]])).toBe(`echo "it's"`);
  });

  it('gives nothing for a blank line', () => {
    expect(splitCommandLine('   ')).toEqual({ stages: [], literal: [], error: null });
  });
});
