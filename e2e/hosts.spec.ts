import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { selfSigned } from '../src/test-utils/self-signed';
import { artifact, serverUrl } from './fixtures';

interface Remote {
  child: ChildProcess;
  origin: string;
  token: string;
  dir: string;
}

/** Another Spindle server (the built CLI) on a free loopback port, as a remote host; over https with `tls`. */
async function startRemote(readOnly: boolean, tls = false): Promise<Remote> {
  const token = randomBytes(24).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'spindle-e2e-remote-'));
  const args = ['bin/spindle.mjs', 'web', '--port', '0', ...(readOnly ? ['--read-only'] : [])];
  if (tls) {
    const { cert, key } = selfSigned(dir);
    args.push('--tls-cert', cert, '--tls-key', key);
  }
  const child = spawn(process.execPath, args, {
    env: { ...process.env, SPINDLE_TOKEN: token, SPINDLE_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /Spindle web UI: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`remote exited with ${code}: ${out}`)));
  });
  return { child, origin: new URL(url).origin, token, dir };
}

async function stopRemote(r: Remote): Promise<void> {
  if (r.child.exitCode === null) {
    const gone = new Promise((res) => r.child.once('exit', res));
    r.child.kill('SIGTERM');
    await gone;
  }
  rmSync(r.dir, { recursive: true, force: true });
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`);

test('one window over two hosts: add them, switch, and a read-only host refuses an end', async ({ page }) => {
  test.setTimeout(120_000);
  const [alpha, beta] = await Promise.all([startRemote(false), startRemote(true)]);
  const marker = String(700_000 + Math.floor(Math.random() * 99_999));
  const sleeper = spawn('sleep', [marker], { stdio: 'ignore' });
  try {
    await page.goto(serverUrl());
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
    await page.getByRole('tab', { name: 'Hosts' }).click();
    const form = page.getByRole('form', { name: 'Add a host' });
    for (const [name, r] of [
      ['alpha', alpha],
      ['beta', beta],
    ] as const) {
      await form.getByLabel('URL').fill(r.origin);
      await form.getByLabel('Token').fill(r.token);
      await form.getByLabel('Name').fill(name);
      await form.getByRole('button', { name: 'Add host' }).click();
      await expect(page.locator(`tr[data-host="${name}"] [data-state="up"]`)).toBeVisible();
    }
    await expect(page.locator('tr[data-host="beta"] [data-testid="host-control"]')).toHaveText('read-only');
    await expect(page.locator('tr[data-host="alpha"] [data-testid="host-control"]')).toHaveText('allowed');
    // The token never comes back to the window.
    expect(await page.content()).not.toContain(alpha.token);
    // Sparklines fill from each host's ticks.
    await expect(page.locator('tr[data-host="alpha"] svg[aria-label*="CPU busy"]')).toHaveAttribute(
      'aria-label',
      /CPU busy: \d+ %/,
    );
    await page.screenshot({ path: artifact('hosts-view.png') });

    // Choose the read-only host: every view shows it, and ending a process there is refused.
    await page.getByTestId('host-picker').selectOption('beta');
    await expect(page.getByTestId('host-banner')).toContainText('read-only');
    await page.getByRole('tab', { name: 'Processes' }).click();
    await expect(page.getByTestId('process-count')).toContainText(/of [1-9][\d,]* processes/);
    await page.keyboard.press('/');
    await page.keyboard.type(marker);
    const row = page.locator(`[role=row][data-pid="${sleeper.pid}"]`);
    await expect(row).toBeVisible();
    await row.click();
    await page.getByTestId('process-table').focus();
    await page.keyboard.press('Delete');
    const dialog = page.getByTestId('control-dialog');
    await dialog.getByRole('button', { name: 'End', exact: true }).click();
    await expect(dialog.getByTestId('control-outcome')).toContainText('EREADONLY');
    await page.screenshot({ path: artifact('hosts-readonly-refusal.png') });
    await page.keyboard.press('Escape');
    expect(alive(sleeper.pid!)).toBe(true);

    // Back to the writable host, then this machine.
    await page.getByTestId('host-picker').selectOption('alpha');
    await expect(page.getByTestId('host-banner')).toContainText('alpha');
    await expect(page.getByTestId('process-count')).toContainText(/of [1-9][\d,]* processes/);
    await page.getByTestId('host-picker').selectOption('local');
    await expect(page.getByTestId('host-banner')).toBeHidden();

    // A host that goes away shows as down.
    await stopRemote(alpha);
    await page.getByRole('tab', { name: 'Hosts' }).click();
    await expect(
      page.locator(
        'tr[data-host="alpha"] [data-state="down"], tr[data-host="alpha"] [data-state="reconnecting"]',
      ),
    ).toBeVisible();
    await page.screenshot({ path: artifact('hosts-down.png') });
    for (const name of ['alpha', 'beta']) {
      await page.getByRole('button', { name: `Remove host ${name}` }).click();
      await expect(page.locator(`tr[data-host="${name}"]`)).toHaveCount(0);
    }
  } finally {
    sleeper.kill('SIGKILL');
    await Promise.all([stopRemote(alpha), stopRemote(beta)]);
  }
});

test('a self-signed https host: refused with what to do, then watched once its certificate is pasted', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const remote = await startRemote(false, true);
  try {
    expect(remote.origin).toMatch(/^https:/);
    await page.goto(serverUrl());
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
    await page.getByRole('tab', { name: 'Hosts' }).click();
    const form = page.getByRole('form', { name: 'Add a host' });
    const add = async (name: string, certificate?: string): Promise<void> => {
      await form.getByLabel('URL').fill(remote.origin);
      await form.getByLabel('Token').fill(remote.token);
      await form.getByLabel('Name').fill(name);
      if (certificate) {
        await form.getByText('Self-signed?').click();
        await form.getByLabel(/Trust this host/).fill(certificate);
      }
      await form.getByRole('button', { name: 'Add host' }).click();
    };
    await add('untrusted');
    const untrusted = page.locator('tr[data-host="untrusted"]');
    await expect(untrusted.locator('.host-error')).toContainText('EHOST_TLS');
    await expect(untrusted.locator('.host-error')).toContainText('add it again with its certificate');
    await page.getByRole('button', { name: 'Remove host untrusted' }).click();
    await add('pinned', readFileSync(join(remote.dir, 'cert.pem'), 'utf8'));
    const pinned = page.locator('tr[data-host="pinned"]');
    await expect(pinned.locator('[data-state="up"]')).toBeVisible();
    await expect(pinned.getByTestId('host-trust')).toContainText('trusts its own certificate');
    await page.screenshot({ path: artifact('hosts-self-signed.png') });
    await page.getByRole('button', { name: 'Remove host pinned' }).click();
    await expect(pinned).toHaveCount(0);
  } finally {
    await stopRemote(remote);
  }
});
