/**
 * Node fires any setTimeout longer than 2^31-1 ms (24.8 days) after 1 ms. Step
 * Functions waits for deadlines months away, so long timers are chained here.
 */
const MAX_DELAY = 2 ** 31 - 1;
const LONG = Symbol('longTimer');
interface LongTimer {
  [LONG]: true;
  inner: NodeJS.Timeout;
  ref(): LongTimer;
  unref(): LongTimer;
  hasRef(): boolean;
}
const g = globalThis as unknown as { __longTimers?: boolean };
if (!g.__longTimers) {
  g.__longTimers = true;
  const originalSet = globalThis.setTimeout;
  const originalClear = globalThis.clearTimeout;
  const patchedSet = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (typeof ms !== 'number' || ms <= MAX_DELAY) return originalSet(fn, ms, ...args);
    const due = Date.now() + ms;
    let referenced = true;
    const handle = {
      [LONG]: true,
      ref: () => {
        referenced = true;
        handle.inner.ref();
        return handle;
      },
      unref: () => {
        referenced = false;
        handle.inner.unref();
        return handle;
      },
      hasRef: () => referenced,
    } as LongTimer;
    const arm = () => {
      const left = due - Date.now();
      handle.inner = left > MAX_DELAY ? originalSet(arm, MAX_DELAY) : originalSet(fn, Math.max(0, left), ...args);
      if (!referenced) handle.inner.unref();
    };
    arm();
    return handle;
  }) as typeof setTimeout;
  globalThis.setTimeout = patchedSet;
  globalThis.clearTimeout = ((h?: unknown) => {
    if (h && typeof h === 'object' && LONG in h) return originalClear((h as LongTimer).inner);
    return originalClear(h as NodeJS.Timeout);
  }) as typeof clearTimeout;
}

export {};
