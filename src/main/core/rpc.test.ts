import { describe, expect, it, vi } from 'vitest';
import { dispatch, type ClientInfo, type HandlerContext, type Handlers } from './rpc';
import { SpindleError } from '../../shared/result';
import { Core } from './core';
import { requests } from '../../shared/contract';

const client = (readOnly = false): ClientInfo => ({ transport: 'web', readOnly, label: 'test' });
const ctx = (readOnly = false): HandlerContext => ({
  client: client(readOnly),
  sessionId: 'test',
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
    const r = await dispatch(h, { method: 'system.info', params: {} }, ctx());
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
    const r = await dispatch(h, raw, ctx());
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
      const r = await dispatch(h, { method, params: {} }, ctx(true));
      expect(r).toMatchObject({ ok: false, error: { code: 'EREADONLY' } });
      expect(Object.keys(h)).toEqual([]);
    }
  });

  it('turns an expected failure into a value with its code', async () => {
    const h = spyHandlers();
    h['system.info'] = vi.fn(() => {
      throw new SpindleError('ESRCH', 'no such process');
    });
    expect(await dispatch(h, { method: 'system.info' }, ctx())).toEqual({
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
    const r = await dispatch(h, { method: 'system.info' }, ctx());
    spy.mockRestore();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('EINTERNAL');
      expect(r.error.message).not.toContain('secret');
    }
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
