import { expect, test } from '@playwright/test';
import { artifact, serverUrl } from './fixtures';

/** Codes the route answers each stream's subscribe with, instead of the server. */
const REFUSED: Record<string, string> = {
  'stats.subscribe': 'ETEST_STATS',
  'supervisor.subscribe': 'ETEST_SUPERVISOR',
  'pools.subscribe': 'ETEST_POOLS',
};

test('a failed subscribe is shown in its view with the code and message, not as an empty view', async ({
  page,
}) => {
  // The real server answers everything else; the three subscribes get an error reply.
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((raw) => {
      const msg = JSON.parse(String(raw)) as { id: number; method: string };
      const code = REFUSED[msg.method];
      if (!code) return server.send(raw);
      ws.send(
        JSON.stringify({
          id: msg.id,
          ok: false,
          error: { code, message: `${msg.method} refused by the test` },
        }),
      );
    });
  });
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  const views: [string, string][] = [
    ['Overview', 'ETEST_STATS'],
    ['Processes', 'ETEST_STATS'],
    ['Managed', 'ETEST_SUPERVISOR'],
    ['Pools', 'ETEST_POOLS'],
  ];
  for (const [tab, code] of views) {
    await page.getByRole('tab', { name: tab }).click();
    const panel = page.getByRole('tabpanel', { name: tab });
    const alert = panel.getByTestId('subscribe-error');
    await expect(alert).toHaveAttribute('data-code', code);
    await expect(alert).toContainText(`${code}`);
    await expect(alert).toContainText('refused by the test');
    await page.screenshot({ path: artifact(`subscribe-error-${tab.toLowerCase()}.png`) });
  }
  await expect(page.getByText('No pools yet')).toHaveCount(0);
});
