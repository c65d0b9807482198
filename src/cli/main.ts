// certwarden's command line: one registry of commands, each with its own --help.
// Exit codes (contract): 0 clean, 1 findings at/above --fail-on, 2 invalid input/configuration, 3 internal/runtime error.
import { ConfigError, EXIT, formatProblem } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { suggest } from '../core/text.js';
import { parseCommandArgs, UsageError } from './args.js';
import { commands, type Command } from './commands.js';
import { processIO, type CliIO } from './io.js';

export type { CliIO } from './io.js';

function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  const list = Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `certwarden ${VERSION} — keeps X.509 certificates and trust stores honest, the GitOps way.

Usage: certwarden <command> [options]

Commands:
${list}

Run 'certwarden <command> --help' for a command's options and examples.
Exit codes: 0 clean, 1 findings at or above --fail-on, 2 invalid input or configuration, 3 internal or runtime error.

Start here:
  certwarden demo                                  a self-contained lab on 127.0.0.1, scanned end to end
  certwarden validate --inventory inventory/       check inventory YAML (schema, references, files, pins)
  certwarden scan --inventory inventory/           scan everything the inventory declares
  certwarden inspect example.internal:443          look at what a server presents
`;
}

export function commandHelp(name: string, c: Command): string {
  const opts = Object.entries(c.options ?? {})
    .filter(([, o]) => !o.hidden)
    .map(([k, o]) => {
      const flag = `--${k}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}${o.multiple ? '…' : ''}`;
      return `  ${flag.padEnd(30)} ${o.help}${o.defaultText ? ` (default: ${o.defaultText})` : ''}`;
    })
    .join('\n');
  return `certwarden ${name}${c.usage ? ' ' + c.usage : ''}

${c.description}

Options:
${opts}${opts ? '\n' : ''}  ${'--help'.padEnd(30)} show this help
${c.examples ? `\nExamples:\n${c.examples.map((e) => `  ${e}`).join('\n')}\n` : ''}`;
}

/** Runs the CLI and returns the exit code (never calls process.exit itself). */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return name ? EXIT.clean : EXIT.config;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`);
    return EXIT.clean;
  }
  const cmd = commands[name];
  if (!cmd) {
    const near = suggest(name, Object.keys(commands));
    io.stderr(
      `error: unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ''}. Run 'certwarden --help' for the list.\n`,
    );
    return EXIT.config;
  }
  const beforeTerminator = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (beforeTerminator.includes('--help') || beforeTerminator.includes('-h')) {
    io.stdout(commandHelp(name, cmd));
    return EXIT.clean;
  }
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseCommandArgs(name, cmd, rest));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`error: ${err.message}\nRun 'certwarden ${name} --help' for the options.\n`);
    return EXIT.config;
  }
  try {
    return await cmd.run({ values, positionals, io });
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) io.stderr(formatProblem(p) + '\n');
      if (io.env.GITHUB_ACTIONS === 'true') for (const p of err.problems) io.stderr(annotation(p) + '\n');
      return EXIT.config;
    }
    const e = err as Error;
    io.stderr(`error: internal error: ${e?.message ?? String(err)}\n`);
    if (io.env.CERTWARDEN_DEBUG) io.stderr(`${e?.stack ?? ''}\n`);
    return EXIT.runtime;
  }
}

/** GitHub's workflow-command form, so problems land on the YAML line in the PR diff. */
export function annotation(p: {
  location: { file: string; line: number; column: number } | null;
  message: string;
}): string {
  const msg = p.message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  if (!p.location) return `::error::${msg}`;
  const file = p.location.file.replace(/%/g, '%25').replace(/,/g, '%2C').replace(/:/g, '%3A');
  return `::error file=${file},line=${p.location.line},col=${p.location.column}::${msg}`;
}
