import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/core/logger.ts
var silentLogger = { debug() {
}, info() {
}, warn() {
}, error() {
} };

export {
  silentLogger
};
