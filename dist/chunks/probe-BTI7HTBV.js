import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  DEFAULT_STALL_MS,
  probeEndpoint
} from "./chunk-Q5PAR5BE.js";
import "./chunk-NRN5HDCZ.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-DDCI7ZLU.js";
export {
  DEFAULT_STALL_MS,
  probeEndpoint
};
