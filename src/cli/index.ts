// The bin: runs the CLI on process.argv and exits with its code. Nothing heavy is imported here;
// each command loads what it needs (x509/issue.ts brings reflect-metadata for @peculiar/x509 itself).
import { main } from './main.js';

/**
 * Exits once everything written to stdout and stderr has left the process: when they are pipes,
 * writes are queued, and process.exit() on its own would cut a large report at 64 KiB.
 * (Exiting at all, rather than letting the loop drain, ends a run that a stuck source's socket
 * or timer would otherwise keep alive past its deadline.)
 */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(exitAfterFlush, (err) => {
  process.stderr.write(`error: ${err?.stack ?? err}\n`);
  exitAfterFlush(3);
});
