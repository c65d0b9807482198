// The runner side of ActionIO: logs, annotations and masks through @actions/core, which escapes every
// message and annotation property (%, CR, LF; and `:` `,` in properties) so no value can start a
// workflow command of its own.
import * as core from '@actions/core';
import type { Logger } from '../core/logger.js';
import type { ActionIO } from './types.js';

const logger: Logger = {
  debug: core.debug,
  info: core.info,
  warn: (m) => core.warning(m),
  error: (m) => core.error(m),
};

export const actionsIO: Omit<ActionIO, 'event'> = {
  logger,
  annotate: (p) =>
    core.error(
      p.message,
      p.location
        ? {
            file: p.location.file,
            startLine: p.location.line,
            startColumn: p.location.column,
            title: 'certwarden',
          }
        : { title: 'certwarden' },
    ),
  annotateFinding: (a) =>
    core[a.level](a.message, {
      title: a.title,
      file: a.file,
      startLine: a.startLine,
      startColumn: a.startColumn,
    }),
  secret: (v) => core.setSecret(v),
  env: process.env,
};
