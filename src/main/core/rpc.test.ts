import { describe, expect, it, vi } from 'vitest';
import { dispatch, type ClientInfo, type HandlerContext, type Handlers } from './rpc';
import { SpindleError } from '../../shared/result';
import { Core } from './core';
import { requests } from '../../shared/contract';
import { AuditLog } from './audit/audit-log';

const client = (readOnly = false): ClientInfo => ({ transport: 'web', readOnly, label: 'test' });
const noAudit = { record: () => {} };
const ctx = (readOnly = false): HandlerContext => ({
  client: client(readOnly),
  subscribe: () => {},
  unsubscribe: () => {},
});

function spyHandlers(): Handlers & Record<string, ReturnType<typeof vi.fn>> {
  return new Proxy({} as Handlers & Record<string, ReturnType<typeof vi.fn>>, {
    get(target, key: string) {
      target[key] ??= vi.fn(() => 'handled');
      return target[key];
    },
  });
}

describe('dispatch', () => {
  it('runs a known request with valid params', async () => {
    const h = spyHandlers();
    const r = await dispatch(h, { method: 'system.info', params: {} }, ctx(), noAudit);
    expect(r).toEqual({ ok: true, value: 'handled' });
  });

  it.each([
    ['not an object', 'hello', 'EBAD_MESSAGE'],
    ['null', null, 'EBAD_MESSAGE'],
    ['missing method', { params: {} }, 'EBAD_MESSAGE'],
    ['method not a string', { method: 42 }, 'EBAD_MESSAGE'],
    ['extra envelope keys', { method: 'system.info', sneaky: 1 }, 'EBAD_MESSAGE'],
    ['oversized method name', { method: 'x'.repeat(1000) }, 'EBAD_MESSAGE'],
    ['unknown method', { method: 'system.format' }, 'EUNKNOWN_METHOD'],
    ['prototype key as method', { method: '__proto__' }, 'EUNKNOWN_METHOD'],
    ['inherited name as method', { method: 'toString' }, 'EUNKNOWN_METHOD'],
    ['params of the wrong type', { method: 'system.info', params: 'all' }, 'EINVAL'],
    ['unknown params key', { method: 'system.info', params: { evil: true } }, 'EINVAL'],
  ])('refuses %s with a typed error and never reaches a handler', async (_name, raw, code) => {
    const h = spyHandlers();
    const r = await dispatch(h, raw, ctx(), noAudit);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toBeTruthy();
    }
    expect(Object.keys(h)).toEqual([]);
  });

  it('refuses every control request in a read-only session', async () => {
    const control = Object.entries(requests).filter(([, d]) => d.control);
    expect(control.length).toBeGreaterThan(0);
    for (const [method] of control) {
      const h = spyHandlers();
      const r = await dispatch(h, { method, params: {} }, ctx(true), noAudit);
      expect(r).toMatchObject({ ok: false, error: { code: 'EREADONLY' } });
      expect(Object.keys(h)).toEqual([]);
    }
  });

  it('turns an expected failure into a value with its code', async () => {
    const h = spyHandlers();
    h['system.info'] = vi.fn(() => {
      throw new SpindleError('ESRCH', 'no such process');
    });
    expect(await dispatch(h, { method: 'system.info' }, ctx(), noAudit)).toEqual({
      ok: false,
      error: { code: 'ESRCH', message: 'no such process' },
    });
  });

  it('hides the details of a bug behind EINTERNAL', async () => {
    const h = spyHandlers();
    h['system.info'] = vi.fn(() => {
      throw new Error('secret path /root/x');
    });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await dispatch(h, { method: 'system.info' }, ctx(), noAudit);
    spy.mockRestore();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('EINTERNAL');
      expect(r.error.message).not.toContain('secret');
    }
  });
});

describe('dispatch audits control requests', () => {
  const key = '4242:17';
  const auditing = () => {
    const log = new AuditLog();
    const h = spyHandlers();
    return { log, h };
  };

  it('records one entry from the description: action, target read before, detail of the result', async () => {
    const { log, h } = auditing();
    const order: string[] = [];
    (h as Record<string, unknown>)['processes.renice'] = {
      run: () => (order.push('run'), { message: 'nice set' }),
      audit: {
        action: (p: { nice: number }) => `renice ${p.nice}`,
        target: () => (order.push('target'), { pid: 4242, name: 'victim' }),
        detail: (r: { message: string }) => r.message,
      },
    };
    const r = await dispatch(h, { method: 'processes.renice', params: { key, nice: 3 } }, ctx(), log);
    expect(r.ok).toBe(true);
    expect(order).toEqual(['target', 'run']);
    expect(log.list()).toEqual([
      expect.objectContaining({
        client: 'test',
        action: 'renice 3',
        target: { pid: 4242, name: 'victim' },
        outcome: 'ok',
        detail: 'nice set',
      }),
    ]);
  });

  it('records an expected failure with its code and the message the client got', async () => {
    const { log, h } = auditing();
    (h as Record<string, unknown>)['processes.kill'] = {
      run: () => {
        throw new SpindleError('EPERM', 'not permitted (owned by root)');
      },
      audit: { action: 'kill' },
    };
    const r = await dispatch(h, { method: 'processes.kill', params: { key } }, ctx(), log);
    expect(r).toEqual({ ok: false, error: { code: 'EPERM', message: 'not permitted (owned by root)' } });
    expect(log.list()).toEqual([
      expect.objectContaining({ action: 'kill', outcome: 'EPERM', detail: 'not permitted (owned by root)' }),
    ]);
  });

  it('keeps an internal error’s detail out of the log as it keeps it out of the reply', async () => {
    const { log, h } = auditing();
    (h as Record<string, unknown>)['pools.pause'] = {
      run: () => {
        throw new TypeError('secret path /root/x is undefined');
      },
      audit: { action: 'pool pause' },
    };
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await dispatch(h, { method: 'pools.pause', params: { poolId: 'p1' } }, ctx(), log);
    spy.mockRestore();
    expect(r).toMatchObject({ ok: false, error: { code: 'EINTERNAL' } });
    expect(log.list()).toHaveLength(1);
    expect(log.list()[0]).toMatchObject({ outcome: 'EINTERNAL' });
    expect(JSON.stringify(log.list())).not.toContain('secret');
  });

  it('a broken description loses neither the reply nor the entry', async () => {
    const { log, h } = auditing();
    (h as Record<string, unknown>)['pools.resume'] = {
      run: () => null,
      audit: {
        action: 'pool resume',
        target: () => {
          throw new Error('bug');
        },
        detail: () => {
          throw new Error('bug');
        },
      },
    };
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await dispatch(h, { method: 'pools.resume', params: { poolId: 'p1' } }, ctx(), log);
    spy.mockRestore();
    expect(r).toEqual({ ok: true, value: null });
    expect(log.list()).toEqual([
      expect.objectContaining({ action: 'pool resume', outcome: 'ok', target: {} }),
    ]);
  });

  it('records nothing for a read request, a read-only refusal or invalid params', async () => {
    const { log, h } = auditing();
    await dispatch(h, { method: 'system.info' }, ctx(), log);
    await dispatch(h, { method: 'processes.kill', params: { key } }, ctx(true), log);
    await dispatch(h, { method: 'processes.kill', params: { key: 'nope' } }, ctx(), log);
    expect(log.list()).toEqual([]);
  });
});

describe('core sessions', () => {
  it('answers system.info and app.info from the real machine', async () => {
    const core = new Core();
    const s = core.openSession(client(true), () => {});
    const info = await s.request({ method: 'system.info', params: {} });
    expect(info.ok).toBe(true);
    if (info.ok) expect((info.value as { cores: number }).cores).toBeGreaterThan(0);
    const app = await s.request({ method: 'app.info' });
    expect(app).toMatchObject({ ok: true, value: { transport: 'web', readOnly: true } });
    s.close();
    await core.stop();
  });
});
