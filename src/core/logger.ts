// Logging behind an interface: the CLI writes to stderr, the action adapts to @actions/core.
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Writes to stderr; strings are already escaped by callers where they come from certificates. */
export function stderrLogger(verbose = false): Logger {
  return {
    debug: (m) => void (verbose && process.stderr.write(`debug: ${m}\n`)),
    info: (m) => void process.stderr.write(`${m}\n`),
    warn: (m) => void process.stderr.write(`warning: ${m}\n`),
    error: (m) => void process.stderr.write(`error: ${m}\n`),
  };
}
