import type { Snapshot } from '../../../../shared/snapshot/schema';

const time = (t: number | undefined): string => (t === undefined ? '—' : new Date(t).toLocaleString());

/** The unmistakable replay marker: what is shown, a time scrubber, and the way back to live. */
export function ReplayBanner({
  snap,
  index,
  onScrub,
  onLive,
}: {
  snap: Snapshot;
  index: number;
  onScrub: (i: number) => void;
  onLive: () => void;
}) {
  const n = snap.series.t.length;
  return (
    <div className="replay-banner" role="region" aria-label="Snapshot replay" data-testid="replay-banner">
      <strong>Replay · read-only</strong>
      <span>
        snapshot of <b>{snap.system.hostname}</b> taken {time(snap.createdAt)}
      </span>
      <input
        type="range"
        aria-label="Time in snapshot"
        min={0}
        max={Math.max(0, n - 1)}
        value={index}
        disabled={n < 2}
        onChange={(e) => onScrub(Number(e.target.value))}
      />
      <span className="replay-time" data-testid="replay-time">
        {time(snap.series.t[index])}
      </span>
      <button className="btn primary" onClick={onLive}>
        Back to live
      </button>
    </div>
  );
}
