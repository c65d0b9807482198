import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/core/model.ts
var SEVERITY_RANK = { error: 3, warning: 2, info: 1 };

export {
  SEVERITY_RANK
};
