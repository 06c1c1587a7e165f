import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { OutputLine } from '../../../../shared/contract';
import type { Client } from '../../api/client';
import { styledText } from './ansi-style';

/** Live output with follow, or a search (text or regex) over everything core holds. */
export function OutputViewer({
  client,
  id,
  live,
  dropped,
}: {
  client: Client;
  id: string;
  live: OutputLine[];
  dropped: number;
}) {
  const [filter, setFilter] = useState('');
  const [regex, setRegex] = useState(false);
  const [follow, setFollow] = useState(true);
  const [found, setFound] = useState<{ lines: OutputLine[]; matched: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

  // Searching asks core, which holds up to the ring's limit, not just the live window.
  const lastSeq = live.at(-1)?.seq ?? 0;
  useEffect(() => {
    if (!filter) {
      setFound(null);
      setError(null);
      return;
    }
    const t = setTimeout(() => {
      void client.api.request('supervisor.output', { id, filter, regex, tail: 2000 }).then((res) => {
        if (res.ok) {
          setFound(res.value);
          setError(null);
        } else setError(res.error.message);
      });
    }, 150);
    return () => clearTimeout(t);
  }, [client, id, filter, regex, lastSeq]);

  const lines = found ? found.lines : live;
  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);

  return (
    <div className="sup-output">
      <div className="sup-output-bar">
        <input
          type="search"
          placeholder="Search output"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="Search output"
        />
        <label className="sup-check">
          <input type="checkbox" checked={regex} onChange={(e) => setRegex(e.target.checked)} /> regex
        </label>
        <label className="sup-check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
        <span className="muted">
          {found ? `${found.matched} matching` : `${live.length} lines`}
          {dropped > 0 ? ` · ${dropped.toLocaleString()} dropped` : ''}
        </span>
      </div>
      {error && <div className="sup-bad">{error}</div>}
      <div
        className="sup-lines"
        ref={box}
        data-testid="sup-output"
        onScroll={(e) => {
          const el = e.currentTarget;
          const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 4;
          if (atEnd !== follow) setFollow(atEnd);
        }}
      >
        {lines.map((l) => (
          <div key={l.seq} className={`sup-line sup-${l.stream}`}>
            {l.stage > 0 && <span className="sup-line-stage">{l.stage + 1}</span>}
            {styledText(l.text, l.spans)}
          </div>
        ))}
      </div>
    </div>
  );
}
