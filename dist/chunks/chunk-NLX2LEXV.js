import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/core/version.ts
var VERSION = "0.1.0";

export {
  VERSION
};
