import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  safeText
} from "./chunk-NRN5HDCZ.js";
import "./chunk-DDCI7ZLU.js";

// src/cli/progress.ts
function clock(ms) {
  const s = Math.max(0, Math.round(ms / 1e3));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}
function waitingText(w) {
  const shown = w.names.map(safeText).join(", ");
  const more = w.count - w.names.length;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
function createProgress(total, opts = {}) {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const enabled = Boolean(stream.isTTY) && total > 0;
  const started = now();
  const interval = opts.intervalMs ?? 100;
  let last = -Infinity;
  let drawn = false;
  const label = opts.label ?? "scanning";
  return {
    enabled,
    update(done, t = total, waiting) {
      if (!enabled) return;
      const at = now();
      if (done < t && at - last < interval) return;
      last = at;
      const frac = t > 0 ? Math.min(1, done / t) : 1;
      const elapsed = at - started;
      const etaMs = done > 0 && done < t ? elapsed / done * (t - done) : null;
      const columns = stream.columns ?? 80;
      const names = done < t && waiting?.count ? waitingText(waiting).length + 26 : 0;
      const width = Math.max(10, Math.min(40, columns - 40 - names));
      const fill = Math.round(frac * width);
      const bar = "#".repeat(fill) + "-".repeat(width - fill);
      const eta = done >= t ? "done" : etaMs !== null && etaMs >= 1e3 ? `ETA ${clock(etaMs)}` : null;
      let line = `${label} [${bar}] ${done}/${t} ${Math.floor(frac * 100)}%`;
      if (eta) line += ` ${eta}`;
      line += ` \xB7 ${clock(elapsed)} elapsed`;
      if (done < t && waiting?.count) line += ` \xB7 waiting for ${waitingText(waiting)}`;
      if (line.length > columns - 1) line = `${line.slice(0, Math.max(20, columns - 2))}\u2026`;
      stream.write(`\r${line}\x1B[K`);
      drawn = true;
    },
    finish() {
      if (enabled && drawn) stream.write("\r\x1B[K");
      drawn = false;
    }
  };
}
var NAMED = 3;
function createCollectWatch(opts) {
  const now = opts.now ?? Date.now;
  const tty = Boolean(opts.stream.isTTY);
  const heartbeatMs = opts.heartbeatMs ?? 1e4;
  let ids = [];
  const finished = /* @__PURE__ */ new Set();
  let cursor = 0;
  let started = 0;
  let bar = null;
  let timer = null;
  const waiting = () => {
    while (cursor < ids.length && finished.has(ids[cursor])) cursor++;
    const names = [];
    for (let i = cursor; i < ids.length && names.length < NAMED; i++)
      if (!finished.has(ids[i])) names.push(ids[i]);
    return { names, count: ids.length - finished.size };
  };
  const draw = () => bar?.update(finished.size, ids.length, waiting());
  const heartbeat = () => {
    const w = waiting();
    if (!w.count) return;
    opts.stream.write(
      `certwarden: ${finished.size}/${ids.length} target(s) collected after ${clock(now() - started)}; waiting for ${waitingText(w)}
`
    );
  };
  return {
    start(list) {
      ids = [...new Set(list)];
      started = now();
      if (!ids.length) return;
      if (tty) {
        bar = createProgress(ids.length, { stream: opts.stream, label: "scanning", now });
        timer = setInterval(draw, opts.tickMs ?? 1e3);
      } else {
        timer = setInterval(heartbeat, heartbeatMs);
      }
      timer.unref?.();
    },
    done(id) {
      finished.add(id);
      draw();
    },
    end() {
      if (timer) clearInterval(timer);
      timer = null;
      bar?.finish();
      bar = null;
    }
  };
}
export {
  clock,
  createCollectWatch,
  createProgress,
  waitingText
};
