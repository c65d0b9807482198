import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  HttpKubeApi,
  KubeApiError,
  createKubeApi,
  kubeFactory
} from "./chunk-OSFZSLBO.js";
import "./chunk-HNLBEK77.js";
import "./chunk-NRN5HDCZ.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-UHECHRFN.js";
import "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";
export {
  HttpKubeApi,
  KubeApiError,
  createKubeApi,
  kubeFactory
};
