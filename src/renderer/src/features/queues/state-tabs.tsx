import type { KeyboardEvent } from 'react';

/**
 * A WAI-ARIA tab list: arrows, Home and End move between tabs and select the one they land on;
 * Tab reaches the list once (roving tabindex), as the app's view tabs do.
 */
export function StateTabs<T extends string>({
  label,
  tabs,
  current,
  onSelect,
  badge,
  idPrefix,
}: {
  label: string;
  tabs: readonly T[];
  current: T;
  onSelect: (t: T) => void;
  badge?: (t: T) => string | number;
  idPrefix: string;
}) {
  const onKey = (e: KeyboardEvent<HTMLElement>): void => {
    const i = tabs.indexOf(current);
    const n = tabs.length;
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % n
        : e.key === 'ArrowLeft'
          ? (i - 1 + n) % n
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    onSelect(tabs[next]!);
    document.getElementById(`${idPrefix}-${tabs[next]!}`)?.focus();
  };
  return (
    <div className="state-tabs" role="tablist" aria-label={label} onKeyDown={onKey}>
      {tabs.map((t) => (
        <button
          key={t}
          id={`${idPrefix}-${t}`}
          role="tab"
          aria-selected={t === current}
          aria-controls={`${idPrefix}-panel`}
          tabIndex={t === current ? 0 : -1}
          className={t === current ? 'state-tab active' : 'state-tab'}
          onClick={() => onSelect(t)}
        >
          {t}
          {badge && <span className="muted"> {badge(t)}</span>}
        </button>
      ))}
    </div>
  );
}
