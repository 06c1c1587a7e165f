import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Core } from '../core';
import { daemonTree } from './fixtures/daemon-tree';
import { alive, kit, nodeDef, waitState } from './fixtures/test-kit';
import { starttimeOf } from './proc-tree';

const sleeper = 'console.log("top " + process.pid); setInterval(() => {}, 1000)';

describe.each([{ cgroups: true }, { cgroups: false }])(
  'the helper dies (cgroups: $cgroups)',
  ({ cgroups }) => {
    it('kill -9 of the helper ends every managed tree, and each entry says why', async () => {
      const k = kit({ cgroups });
      const pids: number[] = [];
      try {
        const a = await k.sup.launch(nodeDef('sleeper', sleeper, { restart: 'never' }));
        const b = await k.sup.launch(nodeDef('daemon', daemonTree(), { restart: 'never' }));
        for (const [id, n] of [
          [a.id, 1],
          [b.id, 2],
        ] as const) {
          const filter = '^(top|leaf) ';
          await expect
            .poll(async () => (await k.sup.output(id, { tail: 10, filter, regex: true })).matched, {
              timeout: 10_000,
            })
            .toBe(n);
          for (const l of (await k.sup.output(id, { tail: 10, filter, regex: true })).lines)
            pids.push(Number(l.text.split(' ')[1]));
        }
        expect(pids.every(alive)).toBe(true);
        process.kill(k.sup.helperPid!, 'SIGKILL');
        const ended = [await waitState(k.sup, a.id, 'exited'), await waitState(k.sup, b.id, 'exited')];
        // Shown as exited only once nothing of it runs any more.
        expect(pids.filter(alive)).toEqual([]);
        for (const s of ended) {
          expect(s.timeline.map((e) => e.text).join('\n')).toMatch(
            /supervisor helper died \(SIGKILL\): Spindle ended its [1-9]\d* process/,
          );
        }
      } finally {
        for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
        await k.done();
      }
    });
  },
);

describe('the helper is protected', () => {
  it('signal, kill, end and end-tree of the supervisor helper are refused with EPROTECTED_HELPER', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spindle-core-'));
    const core = new Core({ dataDir: dir });
    try {
      await core.supervisor.launch(nodeDef('sleeper', sleeper));
      const pid = core.supervisor.helperPid!;
      const key = `${pid}:${starttimeOf(pid)}`;
      const s = core.openSession({ transport: 'web', readOnly: false, label: 'test' }, () => {});
      const code = async (method: string, params: object): Promise<string> => {
        const r = await s.request({ method, params: { key, ...params } });
        return r.ok ? 'ok' : r.error.code;
      };
      expect(await code('processes.kill', {})).toBe('EPROTECTED_HELPER');
      expect(await code('processes.signal', { signal: 'TERM' })).toBe('EPROTECTED_HELPER');
      expect(await code('processes.end', { timeoutMs: 100 })).toBe('EPROTECTED_HELPER');
      expect(await code('processes.end-tree', { timeoutMs: 100 })).toBe('EPROTECTED_HELPER');
      expect(alive(pid)).toBe(true);
      expect(core.audit.list().at(-1)).toMatchObject({ action: 'end tree', outcome: 'EPROTECTED_HELPER' });
    } finally {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
