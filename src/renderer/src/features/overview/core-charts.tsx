import { useEffect, useMemo, useRef, useState } from 'react';
import type { HistoryWindow, StatsSample } from '../../../../shared/contract';
import { CPU_COLORS, TimeChart, type SeriesSpec } from '../../lib/time-chart';
import { coreMatrix, CPU_PARTS, cpuFields, firstIndexFrom, toColumns } from '../../lib/history-rows';

/** Up to this many cores get a chart each; more get one heat-strip row each. */
export const SMALL_MULTIPLES_MAX = 16;

const CPU_SERIES: SeriesSpec[] = CPU_PARTS.map((p) => ({
  key: p,
  name: p,
  color: CPU_COLORS[p],
  kind: 'area',
  stack: 'cpu',
}));
const pct = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)}%`);

interface Props {
  history: HistoryWindow;
  latest: StatsSample | null;
  windowMs: number;
}

/** Per-core CPU: small stacked charts (user/system/iowait/steal) up to 16 cores, a heat strip beyond. */
export function CoreCharts({ history, latest, windowMs }: Props) {
  const cores = latest?.cpu.cores.length ?? 0;
  const points = firstIndexFrom(history.t, (history.t.at(-1) ?? 0) - windowMs);
  return (
    <section className="card span-all" aria-label="CPU per core">
      <h2>
        CPU per core · {cores} cores
        <span className="cpu-key">
          {CPU_PARTS.map((p) => (
            <span key={p}>
              <i className="swatch" style={{ background: CPU_COLORS[p] }} />
              {p}
            </span>
          ))}
        </span>
      </h2>
      <div data-testid="cpu-chart" data-points={history.t.length - points} data-cores={cores}>
        {cores <= SMALL_MULTIPLES_MAX ? (
          <div className="core-grid">
            {Array.from({ length: cores }, (_, i) => (
              <CoreSmall
                key={i}
                core={i}
                history={history}
                windowMs={windowMs}
                busy={latest?.cpu.cores[i]?.busy ?? null}
                height={cores <= 4 ? 110 : 70}
              />
            ))}
          </div>
        ) : (
          <CoreHeat history={history} cores={cores} windowMs={windowMs} latest={latest} />
        )}
      </div>
    </section>
  );
}

function CoreSmall({
  core,
  history,
  windowMs,
  busy,
  height,
}: {
  core: number;
  history: HistoryWindow;
  windowMs: number;
  busy: number | null;
  height: number;
}) {
  const data = useMemo(() => toColumns(history, cpuFields(core), windowMs), [history, core, windowMs]);
  return (
    <figure className="core-small" data-testid="core-chart">
      <figcaption>
        cpu{core} <b>{busy === null ? '—' : pct(busy)}</b>
      </figcaption>
      <TimeChart
        label={`cpu${core}`}
        data={data}
        series={CPU_SERIES}
        windowSec={windowMs / 1000}
        yMax={100}
        yExact={pct}
        height={height}
        compact
      />
    </figure>
  );
}

const ROW_PX = 6;
const COLS = 240;

/** One row of cells per core, colour = busy %; hover reads out the exact value. */
function CoreHeat({ history, cores, windowMs, latest }: Props & { cores: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const image = useRef<ImageData | null>(null);
  const [hover, setHover] = useState<{ core: number; col: number; x: number; y: number } | null>(null);
  const matrix = useMemo(() => coreMatrix(history, cores, windowMs, COLS), [history, cores, windowMs]);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    // One image reused tick after tick (a new one was 60 KB of garbage per tick at 64 cores).
    let img = image.current;
    if (img?.height !== cores) img = image.current = ctx.createImageData(COLS, cores);
    // One 32-bit write per cell from the palette (15,000 cells at 64 cores, every tick).
    const px = new Uint32Array(img.data.buffer);
    // Clamp and round written out (v > 0 there, so floor(x + 0.5) is Math.round): the
    // Math.max/min/round form was ~0.4 ms per tick at 64 cores in a renderer profile.
    const top = 100 * HEAT_STEPS_PER_PCT;
    for (let i = 0; i < matrix.length; i++) {
      const v = matrix[i]!;
      if (v !== v)
        px[i] = 0; // NaN: no sample in the bucket
      else px[i] = HEAT[v <= 0 ? 0 : v >= 100 ? top : Math.floor(v * HEAT_STEPS_PER_PCT + 0.5)]!;
    }
    ctx.putImageData(img, 0, 0);
  }, [matrix, cores]);
  const value = hover ? matrix[hover.core * COLS + hover.col] : undefined;
  const split = hover ? latest?.cpu.cores[hover.core] : undefined;
  return (
    <div className="core-heat" style={{ height: cores * ROW_PX }}>
      <canvas
        ref={canvas}
        width={COLS}
        height={cores}
        role="img"
        aria-label={heatSummary(matrix, cores, windowMs)}
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const col = Math.min(COLS - 1, Math.floor(((e.clientX - r.left) / r.width) * COLS));
          const core = Math.min(cores - 1, Math.floor(((e.clientY - r.top) / r.height) * cores));
          setHover({ core, col, x: e.clientX - r.left, y: e.clientY - r.top });
        }}
        onMouseLeave={() => setHover(null)}
      />
      {hover && (
        <div className="heat-tip" style={{ left: hover.x + 12, top: hover.y + 8 }}>
          cpu{hover.core} · {Math.round(((hover.col - COLS) * windowMs) / COLS / 1000)} s:{' '}
          <b>{value === undefined || Number.isNaN(value) ? 'no reading' : pct(value)}</b>
          {split && (
            <div>
              now: user {pct(split.user)} · system {pct(split.system)} · iowait {pct(split.iowait)} · steal{' '}
              {pct(split.steal)}
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/** The heat strip's text alternative: average and busiest core in the newest column that has readings. */
function heatSummary(matrix: ArrayLike<number>, cores: number, windowMs: number): string {
  for (let col = COLS - 1; col >= 0; col--) {
    let sum = 0;
    let n = 0;
    let top = -1;
    for (let c = 0; c < cores; c++) {
      const v = matrix[c * COLS + col]!;
      if (v !== v) continue;
      sum += v;
      n++;
      if (top < 0 || v > matrix[top * COLS + col]!) top = c;
    }
    if (n)
      return `busy % of ${cores} cores over the last ${windowMs / 1000} s; latest: average ${pct(sum / n)}, busiest cpu${top} ${pct(matrix[top * COLS + col]!)}`;
  }
  return `busy % of ${cores} cores over the last ${windowMs / 1000} s; no readings yet`;
}

/** Palette resolution: 0.1 % steps, finer than a colour channel can show. */
const HEAT_STEPS_PER_PCT = 10;
/** `heat()` of every step, as RGBA pixels in the platform's byte order (ImageData is bytes r,g,b,a). */
const HEAT = (() => {
  const out = new Uint32Array(100 * HEAT_STEPS_PER_PCT + 1);
  const bytes = new Uint8ClampedArray(out.buffer);
  for (let i = 0; i < out.length; i++) {
    const [r, g, b] = heat(i / HEAT_STEPS_PER_PCT);
    bytes.set([r, g, b, 255], i * 4);
  }
  return out;
})();

/** Busy % → colour from calm blue through amber to red. */
function heat(v: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, v / 100));
  if (x < 0.5) {
    const k = x / 0.5;
    return [Math.round(40 + k * 200), Math.round(90 + k * 90), Math.round(200 - k * 150)];
  }
  const k = (x - 0.5) / 0.5;
  return [Math.round(240 - k * 20), Math.round(180 - k * 140), Math.round(50 - k * 10)];
}
