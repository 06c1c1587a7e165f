import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, kit, nodeDef, waitState } from './fixtures/test-kit';

const k = kit();
afterAll(() => k.done());

const outLines = async (id: string): Promise<string[]> =>
  (await k.sup.output(id, { tail: 100 })).lines.filter((l) => l.stream === 'out').map((l) => l.text);

describe('editing a managed definition in place', () => {
  it('restarts a running process under the new definition, keeping its id and output', async () => {
    const s = await k.sup.launch(
      nodeDef('server', 'console.log("v1", process.env.SPX_EDIT ?? "-"); setInterval(() => {}, 1000)'),
    );
    const v1 = await waitState(k.sup, s.id, 'running');
    await expect.poll(() => outLines(s.id)).toContain('v1 -');
    const oldPid = v1.stages[0]!.pid!;

    const next = await k.sup.update(
      s.id,
      nodeDef('server', 'console.log("v2", process.env.SPX_EDIT); setInterval(() => {}, 1000)', {
        env: { set: { SPX_EDIT: 'edited' }, unset: [] },
      }),
    );
    expect(next.id).toBe(s.id);
    expect(next.state).toBe('running');
    expect(next.stages[0]!.pid).not.toBe(oldPid);
    expect(alive(oldPid)).toBe(false);
    await expect.poll(() => outLines(s.id)).toContain('v2 edited');
    // Output from before the edit is still there, and the timeline records it.
    expect(await outLines(s.id)).toContain('v1 -');
    expect(next.timeline.map((e) => e.kind)).toContain('edit');
    // Stored on disk under the same id: a restart of Spindle gets the new definition.
    const file = JSON.parse(readFileSync(join(k.dir, 'supervisor.json'), 'utf8')) as {
      processes: { id: string; env: { set: Record<string, string> } }[];
    };
    expect(file.processes.find((p) => p.id === s.id)?.env.set).toEqual({ SPX_EDIT: 'edited' });
    await k.sup.stop(s.id);
  });

  it('keeps a stopped process stopped and applies new output limits', async () => {
    const s = await k.sup.launch(nodeDef('lines', 'for (let i = 0; i < 300; i++) console.log("l" + i)'));
    await waitState(k.sup, s.id, 'exited');
    const next = await k.sup.update(
      s.id,
      nodeDef('lines', 'console.log("x")', { output: { maxLines: 100, maxBytes: 1_000_000 } }),
    );
    expect(next.state).toBe('exited');
    const page = await k.sup.output(s.id, { tail: 100 });
    expect(page.held).toBe(100);
    expect(page.lines.at(-1)?.text).toContain('definition changed');
  });

  it('refuses a bad definition with its code and leaves the old one running', async () => {
    const s = await k.sup.launch(nodeDef('keep', 'setInterval(() => {}, 1000)'));
    const before = await waitState(k.sup, s.id, 'running');
    await expect(
      k.sup.update(s.id, { name: 'keep', stages: [{ command: '/no/such/program', args: [] }] }),
    ).rejects.toMatchObject({ code: 'ENOENT_EXEC' });
    await expect(k.sup.update(s.id, { name: '', stages: [] })).rejects.toMatchObject({ code: 'EINVAL' });
    await expect(k.sup.update('nope', nodeDef('x', '1'))).rejects.toMatchObject({ code: 'ENOT_FOUND' });
    const after = k.sup.list().find((m) => m.id === s.id)!;
    expect(after.state).toBe('running');
    expect(after.stages[0]!.pid).toBe(before.stages[0]!.pid);
    expect(after.definition.stages[0]!.command).toBe(process.execPath);
    await k.sup.stop(s.id);
  });
});
