import { describe, expect, it } from 'vitest';
import { definitionInput } from '../../../../shared/contract';
import { failedStartsText } from './failed-starts';

const def = (more: object) => ({
  ...definitionInput.parse({ name: 'x', stages: [{ command: 'false' }], ...more }),
  id: 'a',
});

describe('failedStartsText', () => {
  it('shows the count against the limit and the minimum uptime', () => {
    expect(failedStartsText({ failedStarts: 2, definition: def({ restart: 'always' }) })).toBe(
      '2 of 5 failed starts (up < 1 s)',
    );
    expect(
      failedStartsText({
        failedStarts: 0,
        definition: def({ restart: 'on-failure', startLimit: { count: 3, minUptimeMs: 0 } }),
      }),
    ).toBe('0 of 3 failed starts (never gives up)');
  });

  it('is empty when the policy never restarts', () => {
    expect(failedStartsText({ failedStarts: 0, definition: def({}) })).toBe('');
  });
});
