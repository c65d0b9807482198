import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  EMPTY_STATE,
  planIsEmpty
} from "./chunk-GM4MYX53.js";
import "./chunk-DDCI7ZLU.js";
export {
  EMPTY_STATE,
  planIsEmpty
};
