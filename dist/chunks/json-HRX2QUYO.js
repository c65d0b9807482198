import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import "./chunk-DDCI7ZLU.js";

// src/report/json.ts
var PER_PIECE = 256;
function member(key, value) {
  const s = JSON.stringify({ [key]: value }, null, 2);
  return s.slice(`{
  ${JSON.stringify(key)}: `.length, s.length - "\n}".length);
}
function* elements(key, items) {
  const head = `{
  ${JSON.stringify(key)}: [`.length;
  const tail = "\n  ]\n}".length;
  for (let i = 0; i < items.length; i += PER_PIECE) {
    const s = JSON.stringify({ [key]: items.slice(i, i + PER_PIECE) }, null, 2);
    yield `${i ? "," : ""}${s.slice(head, s.length - tail)}`;
  }
}
function* jsonReportPieces(report) {
  const obj = report;
  const keys = Object.keys(obj).filter((k) => {
    const v = obj[k];
    return v !== void 0 && typeof v !== "function" && typeof v !== "symbol";
  });
  if (!keys.length) {
    yield "{}\n";
    return;
  }
  yield "{";
  for (const [i, k] of keys.entries()) {
    const v = obj[k];
    yield `${i ? "," : ""}
  ${JSON.stringify(k)}: `;
    if (Array.isArray(v) && v.length) {
      yield "[";
      yield* elements(k, v);
      yield "\n  ]";
    } else yield member(k, v);
  }
  yield "\n}\n";
}
export {
  jsonReportPieces
};
