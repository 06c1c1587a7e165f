import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { prepareFixtureAs } from './run-as';

describe('prepareFixtureAs', () => {
  it('runs a fixture that lives in a 0700 folder (like a private checkout) as nobody, imports and all', async (ctx) => {
    // A stand-in for a clone under a private home: nobody cannot enter `root`.
    const root = mkdtempSync(join(tmpdir(), 'spindle-private-'));
    // Not onTestFinished: a dynamic ctx.skip() does not run it.
    const removeRoot = (): void => rmSync(root, { recursive: true, force: true });
    chmodSync(root, 0o700);
    mkdirSync(join(root, 'lib'));
    writeFileSync(join(root, 'lib', 'greeting.ts'), 'export const greeting: string = "hello";\n');
    const fixture = join(root, 'who.ts');
    writeFileSync(
      fixture,
      'import { greeting } from "./lib/greeting";\n' +
        'console.log(JSON.stringify({ greeting, uid: process.getuid?.(), args: process.argv.slice(2) }));\n',
    );
    const fx = await prepareFixtureAs(fixture).finally(removeRoot);
    if (!fx.ok) {
      console.warn(`skipped run-as test: ${fx.reason}`);
      return ctx.skip(fx.reason);
    }
    onTestFinished(fx.cleanup);
    expect(JSON.parse(fx.run(['a b', 'c']))).toEqual({ greeting: 'hello', uid: 65534, args: ['a b', 'c'] });
  });
});
