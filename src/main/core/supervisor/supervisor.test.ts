import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, kit, nodeDef, waitState } from './fixtures/test-kit';

const k = kit();
afterAll(() => k.done());

describe('managed processes (real children)', () => {
  it('captures the lines of a process and its exit code', async () => {
    const s = await k.sup.launch(
      nodeDef(
        'lines',
        'for (let i = 1; i <= 5; i++) console.log("line " + i); console.error("oops"); process.exit(3)',
      ),
    );
    const done = await waitState(k.sup, s.id, 'exited');
    expect(done.lastExit).toMatchObject({ code: 3, signal: null });
    const page = await k.sup.output(s.id, { tail: 100 });
    const texts = page.lines.filter((l) => l.stream !== 'sys').map((l) => `${l.stream}:${l.text}`);
    expect(texts).toEqual(expect.arrayContaining(['out:line 1', 'out:line 5', 'err:oops']));
    expect(
      (await k.sup.output(s.id, { tail: 100, filter: 'LINE [24]', regex: true })).lines.map((l) => l.text),
    ).toEqual(['line 2', 'line 4']);
  });

  it('passes shell syntax to the child verbatim and runs none of it', async () => {
    const args = ['; rm -rf x', '$(touch y)', '`touch z`', '&& touch w', '| cat', "'quoted'", '"dq"', '*'];
    const s = await k.sup.launch({
      name: 'verbatim',
      stages: [
        {
          command: process.execPath,
          args: ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...args],
        },
      ],
      cwd: k.dir,
    });
    await waitState(k.sup, s.id, 'exited');
    const out = (await k.sup.output(s.id, { tail: 10 })).lines.find((l) => l.stream === 'out')!;
    expect(JSON.parse(out.text)).toEqual(args);
    for (const f of ['x', 'y', 'z', 'w']) expect(existsSync(join(k.dir, f))).toBe(false);
    expect(readdirSync(k.dir).filter((f) => !f.startsWith('supervisor.json'))).toEqual([]);
  });

  it('a crash loop follows the backoff and reaches fatal at the start limit', async () => {
    const s = await k.sup.launch(
      nodeDef('crasher', 'process.exit(7)', {
        restart: 'always',
        // maxMs 400: a restart past the limit would come within the 500 ms window below.
        backoff: { initialMs: 100, factor: 2, maxMs: 400 },
        startLimit: { count: 4, minUptimeMs: 5_000 },
      }),
    );
    const fatal = await waitState(k.sup, s.id, 'fatal', 15_000);
    expect(fatal.error?.code).toBe('ESTART_LIMIT');
    expect(fatal.restarts).toBe(3);
    const starts = fatal.timeline.filter((e) => e.kind === 'start').map((e) => e.t);
    const exits = fatal.timeline.filter((e) => e.kind === 'exit').map((e) => e.t);
    expect(starts).toHaveLength(4);
    // Each gap between an exit and the next start is at least the backoff delay in force.
    [100, 200, 400].forEach((delay, i) =>
      expect(starts[i + 1]! - exits[i]!).toBeGreaterThanOrEqual(delay - 5),
    );
    // Nothing to await: the claim is that nothing happens, so it is checked after a window.
    await new Promise((r) => setTimeout(r, 500));
    const after = k.sup.list().find((m) => m.id === s.id)!;
    expect(after.timeline.filter((e) => e.kind === 'start')).toHaveLength(4);
    expect(after.restarts).toBe(3);
  });

  it('with the default settings a crash loop reaches fatal, with the count and the reason', async () => {
    // Only the policy is set: backoff (1 s doubling) and start limit are the defaults, which
    // before never filled their 10 s window, so this restarted for ever.
    const s = await k.sup.launch(nodeDef('always-fails', 'process.exit(1)', { restart: 'always' }));
    await expect
      .poll(() => k.sup.list().find((m) => m.id === s.id)!.failedStarts, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    const fatal = await waitState(k.sup, s.id, 'fatal', 40_000);
    expect(fatal.failedStarts).toBe(fatal.definition.startLimit.count);
    expect(fatal.definition.startLimit).toEqual({ count: 5, minUptimeMs: 1_000 });
    expect(fatal.error).toMatchObject({
      code: 'ESTART_LIMIT',
      message: expect.stringMatching(/5 starts in a row/),
    });
    expect(fatal.timeline.filter((e) => e.kind === 'start')).toHaveLength(5);
    expect(fatal.timeline.at(-1)).toMatchObject({ kind: 'fatal' });
    // A user start forgets the count.
    await k.sup.start(s.id);
    expect(k.sup.list().find((m) => m.id === s.id)!.failedStarts).toBeLessThanOrEqual(1);
    await k.sup.stop(s.id);
  }, 60_000);

  it('a child that ignores TERM is killed at the stop timeout (± 250 ms)', async () => {
    const s = await k.sup.launch(
      nodeDef(
        'stubborn',
        'process.on("SIGTERM", () => console.log("ignored TERM")); setInterval(() => {}, 1000); console.log("ready")',
        {
          stopTimeoutMs: 1500,
        },
      ),
    );
    await waitState(k.sup, s.id, 'running');
    await expect
      .poll(async () => (await k.sup.output(s.id, { tail: 10, filter: 'ready' })).matched, {
        timeout: 10_000,
      })
      .toBe(1);
    const pid = s.stages[0]!.pid!;
    const stopped = await k.sup.stop(s.id);
    expect(stopped.state).toBe('stopped');
    expect(stopped.lastExit?.signal).toBe('SIGKILL');
    // Measured between the moments Spindle sent TERM and heard the exit reaped, both stamped
    // in its timeline, not around the test's own awaits (which a loaded machine stretches).
    const term = stopped.timeline.findLast((e) => e.text.startsWith('TERM to'))!.t;
    const exit = stopped.lastExit!.at;
    expect(exit - term).toBeGreaterThanOrEqual(1500 - 250);
    expect(exit - term).toBeLessThanOrEqual(1500 + 250);
    expect(alive(pid)).toBe(false);
    expect(stopped.survivors).toEqual([]);
  });

  it('stop ends a three-level tree, including a grandchild that left the group', async () => {
    // child → grandchild (same group) → great-grandchild (setsid: its own session and group).
    const leaf = 'setInterval(() => {}, 1000); console.log("leaf " + process.pid)';
    const mid = `const cp = require("child_process");
      cp.spawn(process.execPath, ["-e", ${JSON.stringify(leaf)}], { stdio: "inherit", detached: true });
      setInterval(() => {}, 1000); console.log("mid " + process.pid)`;
    const top = `const cp = require("child_process");
      cp.spawn(process.execPath, ["-e", ${JSON.stringify(mid)}], { stdio: "inherit" });
      setInterval(() => {}, 1000); console.log("top " + process.pid)`;
    const s = await k.sup.launch(nodeDef('tree', top, { stopTimeoutMs: 2000 }));
    await expect
      .poll(
        async () => (await k.sup.output(s.id, { tail: 10, filter: '^(top|mid|leaf) ', regex: true })).matched,
        {
          timeout: 5000,
        },
      )
      .toBe(3);
    const pids = (await k.sup.output(s.id, { tail: 10, filter: '^(top|mid|leaf) ', regex: true })).lines.map(
      (l) => Number(l.text.split(' ')[1]),
    );
    expect(pids.every(alive)).toBe(true);
    const stopped = await k.sup.stop(s.id);
    expect(stopped.state).toBe('stopped');
    expect(stopped.survivors).toEqual([]);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('a pipeline counts bytes per stage, uses pipefail, and stops every stage', async () => {
    const produce = 'for (let i = 0; i < 1000; i++) console.log("item " + i)';
    const count =
      'let n = 0; process.stdin.on("data", d => n += d.toString().split("\\n").length - 1); process.stdin.on("end", () => { console.log("count " + n); process.exit(2) })';
    const ok = 'process.stdin.resume(); process.stdin.on("end", () => process.exit(0))';
    const s = await k.sup.launch({
      name: 'pipe',
      stages: [
        { command: process.execPath, args: ['-e', produce] },
        { command: process.execPath, args: ['-e', count] },
        { command: process.execPath, args: ['-e', ok] },
      ],
    });
    const done = await waitState(k.sup, s.id, 'exited');
    // Stage 2 fails, stage 3 succeeds: pipefail reports the last failure.
    expect(done.stages.map((st) => st.exit?.code)).toEqual([0, 2, 0]);
    expect(done.lastExit?.code).toBe(2);
    expect(done.stages[0]!.bytesOut).toBe(
      Array.from({ length: 1000 }, (_, i) => `item ${i}\n`).join('').length,
    );
    expect(done.stages[1]!.bytesOut).toBe('count 1000\n'.length);

    const forever = 'setInterval(() => console.log("tick"), 50)';
    const sink = 'process.stdin.resume(); setInterval(() => {}, 1000)';
    const p = await k.sup.launch({
      name: 'endless',
      stages: [
        { command: process.execPath, args: ['-e', forever] },
        { command: process.execPath, args: ['-e', sink] },
      ],
    });
    const pids = p.stages.map((st) => st.pid!);
    await waitState(k.sup, p.id, 'running');
    const stopped = await k.sup.stop(p.id);
    expect(stopped.state).toBe('stopped');
    expect(pids.filter(alive)).toEqual([]);
    expect(stopped.stages.every((st) => st.exit !== null)).toBe(true);
  });

  it('stop after the leader exited also ends a child it left running in its group', async () => {
    const s = await k.sup.launch(
      nodeDef(
        'daemonish',
        `const c = require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
         console.log("left " + c.pid); c.unref(); process.exit(0)`,
      ),
    );
    await waitState(k.sup, s.id, 'exited');
    const left = Number((await k.sup.output(s.id, { tail: 5, filter: 'left ' })).lines[0]!.text.slice(5));
    expect(alive(left)).toBe(true);
    await k.sup.stop(s.id);
    expect(alive(left)).toBe(false);
  });

  it('a run timeout terminates the process, which then follows its restart policy', async () => {
    const s = await k.sup.launch(nodeDef('slow', 'setInterval(() => {}, 1000)', { runTimeoutMs: 300 }));
    const done = await waitState(k.sup, s.id, 'exited');
    expect(done.lastExit?.signal).toBe('SIGTERM');
    expect(done.lastExit!.at - done.timeline.find((e) => e.kind === 'start')!.t).toBeGreaterThanOrEqual(290);
    expect(done.timeline.some((e) => e.text.includes('run timeout'))).toBe(true);
  });

  it('shell mode is explicit and runs the text through /bin/sh', async () => {
    const s = await k.sup.launch({
      name: 'sh',
      shell: true,
      stages: [{ command: 'echo $((6 * 7)) | tr 4 X' }],
    });
    await waitState(k.sup, s.id, 'exited');
    expect((await k.sup.output(s.id, { tail: 5 })).lines.find((l) => l.stream === 'out')?.text).toBe('X2');
  });

  it('closing the reader of a pipe ends the writer (SIGPIPE propagates)', async () => {
    const s = await k.sup.launch({
      name: 'head',
      stages: [{ command: 'yes' }, { command: 'head', args: ['-n', '3'] }],
    });
    const done = await waitState(k.sup, s.id, 'exited');
    expect(done.stages[1]!.exit).toEqual({ code: 0, signal: null });
    // Node's stdio pipes are socketpairs: the writer gets SIGPIPE or a write error (EPIPE/ECONNRESET); either way it ends.
    const writer = done.stages[0]!.exit!;
    expect(writer.signal === 'SIGPIPE' || (writer.code ?? 0) !== 0).toBe(true);
    expect((await k.sup.output(s.id, { tail: 10, filter: '^y$', regex: true })).matched).toBe(3);
  });
});
