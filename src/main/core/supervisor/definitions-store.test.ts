import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { NOBODY, prepareFixtureAs } from '../../../test-utils/run-as';
import { Core } from '../core';
import { kit, nodeDef, waitState } from './fixtures/test-kit';
import { Supervisor } from './supervisor';

const k = kit();
afterAll(() => k.done());

describe('definitions persist', () => {
  it('are written atomically and read back by a new supervisor, stopped, and can start again', async () => {
    const s = await k.sup.launch(nodeDef('saved', 'console.log("hello again")', { restart: 'on-failure' }));
    await waitState(k.sup, s.id, 'exited');
    const file = JSON.parse(readFileSync(join(k.dir, 'supervisor.json'), 'utf8'));
    expect(file.version).toBe(2);
    expect(file.processes[0]).toMatchObject({ id: s.id, name: 'saved', restart: 'on-failure' });
    expect(readdirSync(k.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const again = new Supervisor({ dataDir: k.dir });
    try {
      expect(again.list().map((m) => [m.id, m.state])).toEqual([[s.id, 'stopped']]);
      await again.start(s.id);
      await waitState(again, s.id, 'exited');
      expect((await again.output(s.id, { tail: 5, filter: 'hello again' })).matched).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('export gives the file; import merges, replaces, and rejects malformed input clearly', async () => {
    const text = k.sup.exportDefinitions();
    const other = kit();
    try {
      expect(await other.sup.importDefinitions(text, 'merge')).toEqual({ added: 1, removed: 0 });
      expect(other.sup.list()[0]!.definition.name).toBe('saved');
      await other.sup.launch(nodeDef('extra', '0'), false);
      expect(await other.sup.importDefinitions(text, 'replace')).toEqual({ added: 1, removed: 1 });
      expect(other.sup.list().map((m) => m.definition.name)).toEqual(['saved']);
      await expect(other.sup.importDefinitions('{nope', 'merge')).rejects.toMatchObject({
        code: 'EBAD_DEFINITIONS',
      });
      await expect(
        other.sup.importDefinitions(
          JSON.stringify({ version: 1, processes: [{ id: 'a', name: 'x', stages: [] }] }),
          'merge',
        ),
      ).rejects.toThrow(/processes.0.stages/);
      await expect(
        other.sup.importDefinitions(JSON.stringify({ version: 3, processes: [] }), 'merge'),
      ).rejects.toThrow(/version/);
    } finally {
      await other.done();
    }
  });

  it('a malformed file on disk is moved aside, not overwritten, and reported with its code', async () => {
    const other = kit();
    await other.sup.close();
    writeFileSync(join(other.dir, 'supervisor.json'), '{"version":1,"processes":[{"oops":true}]}');
    const core = new Core({ dataDir: other.dir });
    try {
      expect(core.supervisor.list()).toEqual([]);
      expect(readdirSync(other.dir).some((f) => f.startsWith('supervisor.json.bad-'))).toBe(true);
      expect(core.audit.list()).toEqual([
        expect.objectContaining({ action: 'load definitions', outcome: 'EBAD_DEFINITIONS' }),
      ]);
    } finally {
      await core.stop();
      await other.done();
    }
  });

  it('an unreadable file (here a folder) is kept, reported, and nothing is saved over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-defs-'));
    mkdirSync(join(dir, 'supervisor.json'));
    const core = new Core({ dataDir: dir });
    try {
      expect(core.audit.list()).toEqual([
        expect.objectContaining({ action: 'load definitions', outcome: 'EDEFINITIONS_UNREADABLE' }),
      ]);
      const s = core.openSession({ transport: 'web', readOnly: false, label: 't' }, () => {});
      const r = await s.request({
        method: 'supervisor.launch',
        params: { definition: { name: 'x', stages: [{ command: 'true' }] }, start: false },
      });
      expect(r).toMatchObject({ ok: false, error: { code: 'EDEFINITIONS_UNREADABLE' } });
      expect(core.supervisor.list()).toEqual([]);
    } finally {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file its user cannot read (mode 000) is kept byte for byte, not replaced by an empty list', async (ctx) => {
    const fixture = await prepareFixtureAs(
      fileURLToPath(new URL('./fixtures/unreadable-definitions.ts', import.meta.url)),
    );
    if (!fixture.ok) {
      console.warn(`skipped mode 000 test: ${fixture.reason}`);
      return ctx.skip(fixture.reason);
    }
    onTestFinished(fixture.cleanup);
    const dir = mkdtempSync(join(tmpdir(), 'spindle-defs-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'supervisor.json');
    const text = JSON.stringify({ version: 2, processes: [] }) + " // the user's definitions";
    writeFileSync(file, text, { mode: 0o000 });
    chmodSync(file, 0o000);
    chownSync(dir, NOBODY.uid, NOBODY.gid);
    chownSync(file, NOBODY.uid, NOBODY.gid);
    const out = JSON.parse(fixture.run([dir])) as { loaded: number; problem: { code: string }; save: string };
    expect(out).toMatchObject({
      loaded: 0,
      problem: { code: 'EDEFINITIONS_UNREADABLE' },
      save: 'EDEFINITIONS_UNREADABLE',
    });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['supervisor.json']);
  });

  it('unknown keys and __proto__ are refused on import, naming the field, as a launch refuses them', async () => {
    const other = kit();
    try {
      const def = (extra: string): string =>
        `{"version":1,"processes":[{"id":"a","name":"x","stages":[{"command":"true"}]${extra}}]}`;
      const cases: [string, RegExp][] = [
        [def(',"restartPolicy":"always"'), /processes\.0\.restartPolicy: unknown field/],
        // Written as text: an object literal's __proto__ would set the prototype, not a key.
        [def(',"__proto__":{"restart":"always"}'), /processes\.0\.__proto__: unknown field/],
        [def(',"backoff":{"initialMS":5}'), /processes\.0\.backoff\.initialMS: unknown field/],
        [def(',"env":{"set":{"__proto__":"x"}}'), /processes\.0\.env\.set: __proto__ is not a variable name/],
      ];
      for (const [text, named] of cases) {
        await expect(other.sup.importDefinitions(text, 'merge')).rejects.toMatchObject({
          code: 'EBAD_DEFINITIONS',
          message: expect.stringMatching(named),
        });
      }
      expect(other.sup.list()).toEqual([]);
      await expect(
        other.sup.launch({ ...nodeDef('typo', '0'), restartPolicy: 'always' } as never),
      ).rejects.toMatchObject({
        code: 'EINVAL',
        message: expect.stringMatching(/restartPolicy: unknown field/),
      });
      await expect(
        other.sup.launch({ ...nodeDef('proto', '0'), env: JSON.parse('{"set":{"__proto__":"x"}}') }),
      ).rejects.toMatchObject({ code: 'EINVAL', message: expect.stringMatching(/env\.set: __proto__/) });
      expect(await other.sup.importDefinitions(def(''), 'merge')).toEqual({ added: 1, removed: 0 });
    } finally {
      await other.done();
    }
  });

  it('a file on disk holding an unknown key is moved aside at start-up', async () => {
    const other = kit();
    await other.sup.close();
    const text = `{"version":1,"processes":[{"id":"a","name":"x","stages":[{"command":"true"}],"__proto__":{"shell":true}}]}`;
    writeFileSync(join(other.dir, 'supervisor.json'), text);
    const sup = new Supervisor({ dataDir: other.dir });
    expect(sup.list()).toEqual([]);
    const aside = readdirSync(other.dir).find((f) => f.startsWith('supervisor.json.bad-'));
    expect(aside && readFileSync(join(other.dir, aside), 'utf8')).toBe(text);
    await sup.close();
    await other.done();
  });

  it('a version 1 file (window-based start limit) is read as version 2, its window dropped', async () => {
    const other = kit();
    await other.sup.close();
    const v1 = {
      version: 1,
      processes: [
        {
          id: 'old',
          name: 'old',
          stages: [{ command: 'true' }],
          startLimit: { count: 3, windowMs: 10_000 },
          stableMs: 10_000,
        },
      ],
    };
    writeFileSync(join(other.dir, 'supervisor.json'), JSON.stringify(v1));
    const sup = new Supervisor({ dataDir: other.dir });
    try {
      expect(sup.list().map((m) => m.definition.startLimit)).toEqual([{ count: 3, minUptimeMs: 1_000 }]);
      expect(JSON.parse(sup.exportDefinitions()).version).toBe(2);
      expect(readdirSync(other.dir).some((f) => f.includes('.bad-'))).toBe(false);
    } finally {
      await sup.close();
      await other.done();
    }
  });
});
