import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  describeValidation,
  validate
} from "./chunk-5ZSSXF47.js";
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
import {
  dirsOf,
  inventoryDirs,
  strings
} from "./chunk-COV2FAQ7.js";
import "./chunk-LWH7DEBG.js";
import "./chunk-NRN5HDCZ.js";
import "./chunk-VBV66OCF.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/cli/validate.ts
async function run({ values, io }) {
  const res = await validate({
    inventoryDirs: inventoryDirs(values, io.cwd),
    policyDirs: dirsOf(values.policies, "policies", io.cwd),
    env: io.env,
    ...typeof values.zone === "string" ? { zone: values.zone } : {},
    ...strings(values.target).length ? { targets: strings(values.target) } : {}
  });
  io.stdout(`${describeValidation(res.counts)}
`);
  return res.exitCode;
}
export {
  run
};
