import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/core/limit.ts
async function mapLimit(items, limit, fn, onDone) {
  const results = new Array(items.length);
  let next = 0;
  let done = 0;
  const width = Math.max(1, Math.min(limit, items.length));
  const workers = Array.from({ length: width }, async () => {
    for (; ; ) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i], i);
      done++;
      onDone?.(done, items.length);
    }
  });
  await Promise.all(workers);
  return results;
}
var Gate = class {
  constructor(width) {
    this.width = width;
  }
  width;
  active = 0;
  waiting = [];
  async enter() {
    if (this.active < this.width) {
      this.active++;
      return;
    }
    await new Promise((resolve) => this.waiting.push(resolve));
  }
  leave() {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
};

export {
  mapLimit,
  Gate
};
