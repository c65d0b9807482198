// `certwarden demo`: the lab's progress on stderr, the report and GitHub's dry run on stdout, and
// whether every planted fault was reported.
import { safeText } from '../core/text.js';
import { demo } from '../commands/demo.js';
import type { CliIO } from './io.js';
import { colorFor, parseFormat, type CommandContext } from './options.js';

/** What the demo takes from the CLI: where to write, the format, and whether to keep the lab's folder. */
export interface DemoIO extends CliIO {
  format?: string;
  keep?: boolean;
  /** Colour the text report (default: stdout is a terminal). */
  color?: boolean;
}

/** Runs the demo; returns 0 when every planted fault was reported as expected, 3 otherwise. */
export async function runDemo(io: DemoIO): Promise<number> {
  const format = parseFormat(io.format);
  const res = await demo({
    format,
    color: io.color ?? io.stdoutIsTTY,
    keep: Boolean(io.keep),
    env: io.env,
    onLine: (line) => io.stderr(`${line}\n`),
  });
  io.stdout(res.text);
  if (res.plan)
    io.stdout(`\nGitHub sync (dry run) would:\n${res.plan.map((l) => `  - ${safeText(l)}`).join('\n')}\n`);
  if (res.planError !== null) io.stderr(`(GitHub dry run skipped: ${safeText(res.planError)})\n`);
  if (res.misses.length)
    io.stderr(
      `\ndemo: ${res.misses.length} planted fault(s) not reported as expected:\n${res.misses.map((m) => `  - ${safeText(m)}`).join('\n')}\n`,
    );
  else
    io.stderr(
      `\ndemo: all ${res.planted} planted situations were reported as expected in ${res.seconds.toFixed(1)} s (a real scan would exit ${res.scanExitCode}).\n`,
    );
  if (io.keep) io.stderr(`lab files kept in ${res.dir}\n`);
  return res.exitCode;
}

export async function run({ values, io }: CommandContext): Promise<number> {
  return runDemo({
    ...io,
    format: parseFormat(values.format),
    keep: Boolean(values.keep),
    color: colorFor(values.color, io),
  });
}
