import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/github/types.ts
var EMPTY_STATE = { issues: [], pulls: [], labels: [] };
function planIsEmpty(plan) {
  return plan.labels.length === 0 && plan.issues.length === 0 && plan.pulls.length === 0 && plan.dashboard.op === "none";
}

export {
  EMPTY_STATE,
  planIsEmpty
};
