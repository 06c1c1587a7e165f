import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../shared/until';
import { FrameStore } from './frame-store';

/** The two parts of a page the store reads: visibility and its change event. */
class FakeDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'hidden';
}

describe('FrameStore', () => {
  afterEach(() => {
    delete (globalThis as { document?: unknown }).document;
    delete (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame;
  });

  it('notifies nothing while the page is hidden, then once with the latest value when it shows', async () => {
    const doc = new FakeDocument();
    (globalThis as { document?: unknown }).document = doc;
    (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame = (f: () => void) =>
      setTimeout(f, 1);
    const store = new FrameStore(0);
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.get()));
    for (let v = 1; v <= 5; v++) store.set(v);
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual([]);
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(seen).toEqual([5]);
    store.set(6); // visible again: the next change goes through an animation frame
    await until(() => seen.length === 2);
    expect(seen).toEqual([5, 6]);
  });

  it('without a page (Node) it still notifies, once per burst', async () => {
    const store = new FrameStore('a');
    let calls = 0;
    store.subscribe(() => calls++);
    store.set('b');
    store.set('c');
    await until(() => calls > 0);
    expect(calls).toBe(1);
    expect(store.get()).toBe('c');
  });

  it('asks for no frame while nobody listens (a hidden view), and a later listener reads the latest', async () => {
    const doc = new FakeDocument();
    doc.visibilityState = 'visible';
    (globalThis as { document?: unknown }).document = doc;
    let frames = 0;
    (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame = (f: () => void) => {
      frames++;
      return setTimeout(f, 1);
    };
    const store = new FrameStore(0);
    for (let v = 1; v <= 5; v++) store.set(v);
    expect(frames).toBe(0);
    expect(store.get()).toBe(5);
    const seen: number[] = [];
    const off = store.subscribe(() => seen.push(store.get()));
    store.set(6);
    await until(() => seen.length === 1);
    expect([frames, seen[0]]).toEqual([1, 6]);
    off();
    store.set(7);
    expect(frames).toBe(1);
  });
});
