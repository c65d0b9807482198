import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  describePlan,
  filesNeeded,
  planSync
} from "./chunk-5NWBSDSS.js";
import "./chunk-KNCNIMYE.js";
import "./chunk-4CY5QMJ4.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-UHECHRFN.js";
import "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";
export {
  describePlan,
  filesNeeded,
  planSync
};
