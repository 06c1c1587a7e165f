/**
 * Web mode's credential. The printed URL carries a one-time code; the page trades it once for
 * a session credential, keeps it in this tab (sessionStorage, so it is neither shared with
 * other tabs nor sent anywhere on its own) and drops the code from the address bar and history.
 */

// sessionStorage is per origin (port included); the key names the instance's origin as well,
// so a second Spindle on another port never reads or overwrites this one's credential.
const KEY = `spindle.session@${location.host}`;

/** The tab's session credential: from the code in the URL (traded now), else the stored one. */
export async function webSession(): Promise<string | null> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (code !== null) {
    params.delete('code');
    const q = params.toString();
    // Rewrite before the exchange: whatever happens, the code does not stay in the history.
    history.replaceState(history.state, '', `${location.pathname}${q ? `?${q}` : ''}${location.hash}`);
    const session = await exchange(code);
    if (session !== null) {
      sessionStorage.setItem(KEY, session);
      return session;
    }
  }
  return sessionStorage.getItem(KEY);
}

async function exchange(code: string): Promise<string | null> {
  try {
    const res = await fetch('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { value?: { session?: unknown } };
    return typeof body.value?.session === 'string' ? body.value.session : null;
  } catch {
    return null;
  }
}

export { authHeader, wsProtocols } from './credential';
