import { describe, expect, it } from 'vitest';
import { CODE_TTL_MS, Credentials, MAX_SESSIONS, TICKET_TTL_MS } from './sessions';

const TOKEN = 'test-token-0123456789abcdefXYZ';

describe('credentials', () => {
  it('a minted code lives its time and no longer; the printed one until used', () => {
    let now = 0;
    const c = new Credentials(TOKEN, () => now);
    const late = c.newCode();
    const printed = c.newCode(Infinity);
    now += CODE_TTL_MS + 1;
    expect(c.exchange(late)).toBeNull();
    expect(c.exchange(printed)).not.toBeNull();
    expect(c.exchange(printed)).toBeNull();
  });

  it('a download ticket works once, within its time, for what it was issued', () => {
    let now = 0;
    const c = new Credentials(TOKEN, () => now);
    const t = c.newTicket('csv-series');
    expect(c.useTicket(t)).toBe('csv-series');
    expect(c.useTicket(t)).toBeNull();
    const old = c.newTicket('json');
    now += TICKET_TTL_MS + 1;
    expect(c.useTicket(old)).toBeNull();
  });

  it('keeps the newest sessions, the token always, and never takes a code or ticket as a credential', () => {
    const c = new Credentials(TOKEN);
    const first = c.exchange(c.newCode())!;
    const rest = Array.from({ length: MAX_SESSIONS }, () => c.exchange(c.newCode())!);
    expect(c.valid(first)).toBe(false);
    expect(rest.every((s) => c.valid(s))).toBe(true);
    expect(c.valid(TOKEN)).toBe(true);
    expect(c.valid(c.newCode())).toBe(false);
    expect(c.valid(c.newTicket('json'))).toBe(false);
    expect(c.valid(null)).toBe(false);
  });
});
