/**
 * Runs `work` for every item, at most `limit` at a time (a pool of workers taking the next item), and
 * waits for all; the first failure rejects. The writes that fan out over many items use it.
 */
export const forEachConcurrently = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};
