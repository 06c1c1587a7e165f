import { afterAll, describe, expect, it } from 'vitest';
import type { ManagedStatus } from '../../../shared/contract';
import { kit, waitState } from './fixtures/test-kit';

const k = kit();
afterAll(() => k.done());

const TRUE = { name: 'true', stages: [{ command: '/bin/true' }], restart: 'never' as const };

/** Every run ended `exited` with code 0, and its timeline holds as many exits as starts. */
function expectAllExited(list: ManagedStatus[], runs: number): void {
  const wrong = list.filter(
    (m) =>
      m.state !== 'exited' ||
      m.lastExit?.code !== 0 ||
      m.timeline.filter((e) => e.kind === 'exit').length !== runs ||
      m.timeline.filter((e) => e.kind === 'start').length !== runs,
  );
  expect(wrong.map((m) => `${m.state} ${JSON.stringify(m.timeline.map((e) => e.kind))}`)).toEqual([]);
}

// An instant exit is reported by the helper right behind "spawned", often in the same IPC
// read; before the fix that exit was dropped and the entry stayed `running` for ever.
describe('instant exits (real /bin/true)', () => {
  it('hundreds launched concurrently, then started again serially, all end exited with their exit', async () => {
    const launched = await Promise.all(Array.from({ length: 200 }, () => k.sup.launch(TRUE)));
    for (const s of launched) await waitState(k.sup, s.id, 'exited');
    expectAllExited(k.sup.list(), 1);
    for (const s of launched) {
      await k.sup.start(s.id);
      await waitState(k.sup, s.id, 'exited');
    }
    expectAllExited(k.sup.list(), 2);
    await Promise.all(launched.map((s) => k.sup.start(s.id)));
    for (const s of launched) await waitState(k.sup, s.id, 'exited');
    expectAllExited(k.sup.list(), 3);
  }, 120_000);

  it('stopping instantly exited processes returns at once, without a kill', async () => {
    const other = kit();
    try {
      const launched: ManagedStatus[] = [];
      for (let i = 0; i < 100; i++) launched.push(await other.sup.launch(TRUE));
      const slow: string[] = [];
      for (const s of launched) {
        const t0 = Date.now();
        const after = await other.sup.stop(s.id);
        const killed = after.timeline.find((e) => e.text.startsWith('killed after'));
        // Nothing outlived TERM: well below the 5 s stop timeout, even on a loaded machine.
        if (Date.now() - t0 >= 5_000 || killed) slow.push(`${Date.now() - t0} ms ${killed?.text ?? ''}`);
      }
      expect(slow).toEqual([]);
    } finally {
      await other.done();
    }
  }, 60_000);
});
