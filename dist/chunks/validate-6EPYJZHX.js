import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  validateInputs,
  validateMode
} from "./chunk-7B75Q2NC.js";
import "./chunk-NPH4DITX.js";
import "./chunk-ADUINEKZ.js";
import "./chunk-7FE4FWRC.js";
import "./chunk-VDOPN6YR.js";
import "./chunk-55TYRS7U.js";
import "./chunk-4M76J7UZ.js";
import "./chunk-KNCNIMYE.js";
import "./chunk-OS4GY4HV.js";
import "./chunk-HNLBEK77.js";
import "./chunk-3IPAO5OA.js";
import "./chunk-KB4OYESQ.js";
import "./chunk-T6OBV2YL.js";
import "./chunk-QZW4XWZK.js";
import "./chunk-NLX2LEXV.js";
import "./chunk-BR2XLSHT.js";
import "./chunk-VBV66OCF.js";
import "./chunk-4CY5QMJ4.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import "./chunk-WW3ZWNRQ.js";
import "./chunk-NRN5HDCZ.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-DDCI7ZLU.js";
export {
  validateInputs,
  validateMode
};
