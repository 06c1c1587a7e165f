import { describe, expect, it } from 'vitest';
import type { EventMeta, SpindleApi } from '../../../shared/contract';
import type { Client } from './client-types';
import { scopeClient } from './scoped-client';

/** A base client that records requests and lets the test emit events, as the socket would. */
function fakeBase(): {
  base: Client;
  sent: unknown[];
  emit(event: string, payload: unknown, host?: string): void;
} {
  const sent: unknown[] = [];
  const listeners = new Map<string, Set<(p: unknown, m: EventMeta) => void>>();
  const api = {
    request: (method: string, params?: unknown, opts?: { host?: string }) => {
      sent.push({ method, params, host: opts?.host });
      return Promise.resolve({ ok: true, value: null });
    },
    on: (event: string, l: (p: unknown, m: EventMeta) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
      return () => void listeners.get(event)!.delete(l);
    },
  } as unknown as SpindleApi;
  const base: Client = {
    api,
    transport: 'web',
    state: () => 'connected',
    onState: () => () => {},
    onReconnect: () => () => {},
  };
  const emit = (event: string, payload: unknown, host?: string): void => {
    for (const l of listeners.get(event) ?? []) l(payload, host ? { host } : {});
  };
  return { base, sent, emit };
}

describe('scopeClient', () => {
  it("sends a remote scope's requests to its host and hears only its events", async () => {
    const { base, sent, emit } = fakeBase();
    const alpha = scopeClient(base, 'alpha');
    const local = scopeClient(base, 'local');
    const heard: string[] = [];
    alpha.api.on('stats', () => heard.push('alpha'));
    local.api.on('stats', () => heard.push('local'));
    await alpha.api.request('system.info');
    await local.api.request('system.info');
    expect(sent).toEqual([
      { method: 'system.info', params: undefined, host: 'alpha' },
      { method: 'system.info', params: undefined, host: undefined },
    ]);
    emit('stats', {}, 'alpha');
    emit('stats', {});
    emit('stats', {}, 'beta');
    expect(heard).toEqual(['alpha', 'local']);
  });

  it('drops every listener on dispose and releases a remote host', () => {
    const { base, sent, emit } = fakeBase();
    const alpha = scopeClient(base, 'alpha');
    let n = 0;
    alpha.api.on('stats', () => n++);
    alpha.api.on('pools', () => n++);
    alpha.dispose();
    emit('stats', {}, 'alpha');
    emit('pools', {}, 'alpha');
    expect(n).toBe(0);
    expect(sent).toEqual([{ method: 'hosts.release', params: { id: 'alpha' }, host: undefined }]);
    const local = scopeClient(base, 'local');
    void local.api.request('stats.subscribe', {});
    void local.api.request('pools.subscribe', {});
    local.dispose();
    // The local server is never "released"; its subscriptions that can end, end.
    expect(sent.slice(1)).toEqual([
      { method: 'stats.subscribe', params: {}, host: undefined },
      { method: 'pools.subscribe', params: {}, host: undefined },
      { method: 'stats.unsubscribe', params: {}, host: undefined },
    ]);
  });
});
