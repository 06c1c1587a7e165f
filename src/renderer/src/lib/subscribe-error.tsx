import type { ErrorValue } from '../../../shared/result';

/**
 * Why a view has no data: its stream's subscribe was refused or failed. Shown in place of
 * an empty view, which would read as "nothing there". Renders nothing when `error` is null.
 */
export function SubscribeError({ what, error }: { what: string; error: ErrorValue | null }) {
  if (!error) return null;
  return (
    <div className="subscribe-error" role="alert" data-testid="subscribe-error" data-code={error.code}>
      Could not load {what}: <code>{error.code}</code> {error.message}
    </div>
  );
}
