import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  scan
} from "./chunk-CATVLWIY.js";
import {
  collect,
  describeCollect
} from "./chunk-JR3ZXS5O.js";
import {
  evaluate,
  requireObservations
} from "./chunk-5VT3TMTU.js";
import "./chunk-NE3CVNGC.js";
import "./chunk-3SXLHKRW.js";
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
import {
  describeWritten,
  progressFor
} from "./chunk-R2NCMLC3.js";
import "./chunk-NLX2LEXV.js";
import {
  colorFor,
  scanOptions,
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

// src/cli/scan.ts
import path from "node:path";
function reportOutput(opts, values, io) {
  const color = colorFor(values.color, io);
  return [{ format: opts.format, file: opts.output, color: !opts.output && color }];
}
function print(io, outputs, report) {
  for (const o of outputs) {
    if (o.text !== null) io.stdout(o.text);
    if (o.file) io.stderr(`${describeWritten(`${o.format} report`, o.file, io.cwd, reportCounts(report))}
`);
  }
}
function reportCounts(r) {
  const f = r.summary.findings;
  return `${r.summary.targets} target(s); ${f.error} error(s), ${f.warning} warning(s), ${f.info} info`;
}
async function runScan({ values, io }) {
  const { format, output, ...opts } = scanOptions(values, io);
  const res = await scan({
    ...opts,
    watch: await progressFor(io, Boolean(values.quiet)),
    reports: reportOutput({ format, output }, values, io)
  });
  print(io, res.outputs, res.report);
  return res.exitCode;
}
async function runCollect({ values, io }) {
  const opts = scanOptions(values, io);
  const res = await collect({
    inventoryDirs: opts.inventoryDirs,
    policyDirs: opts.policyDirs,
    now: opts.now,
    output: opts.output,
    concurrency: opts.concurrency,
    timeoutMs: opts.timeoutMs,
    zone: opts.zone,
    targets: opts.targets,
    env: opts.env,
    offline: opts.offline,
    watch: await progressFor(io, Boolean(values.quiet))
  });
  if (!res.written) io.stdout(res.text);
  io.stderr(`${describeCollect(res)}
`);
  if (res.written) io.stderr(`${describeWritten("observations", res.written, io.cwd)}
`);
  return res.exitCode;
}
async function runEvaluate({ values, io }) {
  const files = strings(values.observations);
  requireObservations(files);
  const opts = scanOptions(values, io);
  const res = await evaluate({
    inventoryDirs: opts.inventoryDirs,
    policyDirs: opts.policyDirs,
    env: opts.env,
    observationFiles: files.map((f) => path.resolve(io.cwd, f)),
    now: opts.now,
    failOn: opts.failOn,
    reports: reportOutput(opts, values, io)
  });
  print(io, res.outputs, res.report);
  return res.exitCode;
}
export {
  runCollect,
  runEvaluate,
  runScan
};
