// The bin: runs the CLI on process.argv and exits with its code. Nothing heavy is imported here;
// each command loads what it needs (x509/issue.ts brings reflect-metadata for @peculiar/x509 itself).
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`error: ${err?.stack ?? err}\n`);
    process.exit(3);
  },
);
