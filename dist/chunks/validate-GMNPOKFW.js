import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  validateInputs,
  validateMode
} from "./chunk-2O642S6S.js";
import "./chunk-5NXTENQN.js";
import "./chunk-5ZSSXF47.js";
import "./chunk-UKAPL6FF.js";
import "./chunk-DIO6O7OV.js";
import "./chunk-AGNHQRE6.js";
import "./chunk-6PZWKSTY.js";
import "./chunk-KB4OYESQ.js";
import "./chunk-CQLXS4C2.js";
import "./chunk-T6OBV2YL.js";
import "./chunk-KNCNIMYE.js";
import "./chunk-OS4GY4HV.js";
import "./chunk-QZW4XWZK.js";
import "./chunk-HNLBEK77.js";
import "./chunk-NLX2LEXV.js";
import "./chunk-LWH7DEBG.js";
import "./chunk-NRN5HDCZ.js";
import "./chunk-VBV66OCF.js";
import "./chunk-4CY5QMJ4.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";
export {
  validateInputs,
  validateMode
};
