import type { ReactElement } from 'react';
import type { Percentiles } from '../../../shared/contract';
import { fmtMs } from './format';

/**
 * Wait and run time quantiles as a small table: a pool's tasks and a queue's jobs read the
 * same way. A side with no figures yet (null) shows dashes and a count of 0.
 */
export function LatencyTable({
  wait,
  run,
  countLabel,
  ...rest
}: {
  wait: Percentiles | null;
  run: Percentiles | null;
  /** The last column's heading: what `n` counts. */
  countLabel: string;
  className?: string;
  'data-testid'?: string;
  'aria-label'?: string;
}): ReactElement {
  const ms = (v: number | undefined): string => (v === undefined ? '—' : fmtMs(v));
  return (
    <table {...rest} className={rest.className ?? 'plain'}>
      <thead>
        <tr>
          <th />
          <th>p50</th>
          <th>p95</th>
          <th>p99</th>
          <th>{countLabel}</th>
        </tr>
      </thead>
      <tbody>
        {(
          [
            ['wait', wait],
            ['run', run],
          ] as const
        ).map(([k, q]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{ms(q?.p50)}</td>
            <td>{ms(q?.p95)}</td>
            <td>{ms(q?.p99)}</td>
            <td>{q?.n ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
