import 'reflect-metadata';
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`error: ${err?.stack ?? err}\n`);
    process.exit(3);
  },
);
