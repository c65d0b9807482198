// Bounded concurrency for network probes, where most of a slow probe's life is waiting.
// `limit` bounds the probes that are doing work; a probe that reports itself stalled (no answer
// yet, e.g. a tarpit) gives its slot back and keeps waiting for its own deadline, so a few
// tarpits cannot starve the scan. `maxOpen` still bounds everything in flight (sockets, memory).

/**
 * Like mapLimit (src/core/limit.ts) — results in input order, `fn` must not throw for expected
 * failures — but `fn` receives `release()`: calling it frees the slot early. At most `maxOpen`
 * (default 4 × limit) calls are in flight at any time, released or not.
 */
export function mapLimitReleasing<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number, release: () => void) => Promise<R>,
  opts: { maxOpen?: number; onDone?: (done: number, total: number) => void } = {},
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const width = Math.max(1, limit);
  const maxOpen = Math.max(width, opts.maxOpen ?? width * 4);
  let next = 0;
  let active = 0;
  let open = 0;
  let done = 0;
  let failed = false;
  return new Promise<R[]>((resolve, reject) => {
    if (items.length === 0) return resolve(results);
    const pump = (): void => {
      while (!failed && next < items.length && active < width && open < maxOpen) {
        const i = next++;
        active++;
        open++;
        let released = false;
        const release = (): void => {
          if (released) return;
          released = true;
          active--;
          queueMicrotask(pump);
        };
        Promise.resolve()
          .then(() => fn(items[i] as T, i, release))
          .then(
            (r) => {
              results[i] = r;
              if (!released) {
                released = true;
                active--;
              }
              open--;
              done++;
              opts.onDone?.(done, items.length);
              if (done === items.length) resolve(results);
              else pump();
            },
            (err: unknown) => {
              failed = true;
              reject(err);
            },
          );
      }
    };
    pump();
  });
}
