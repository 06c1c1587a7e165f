import type { ReactNode } from 'react';
import { useReadOnly } from './read-only';

/** Wraps control inputs: all of them are disabled (with the reason shown) while read-only. */
export function Controls({ children }: { children: ReactNode }) {
  const readOnly = useReadOnly();
  return (
    <fieldset
      className="controls"
      disabled={readOnly !== null}
      title={readOnly ? `Controls are off: ${readOnly}` : undefined}
    >
      {children}
    </fieldset>
  );
}
