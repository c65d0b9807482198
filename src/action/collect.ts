// Mode collect: the first half of scan, for network zones. Writes the observations JSON (input
// `observations`, default observations.json) for an evaluate job to judge; fails only on
// configuration errors (a source that cannot be read is an observation, judged later).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { collect, describeCollect } from '../commands/collect.js';
import { maskSecrets, scanOptions } from './report.js';
import type { ModeFn } from './types.js';

export const collectMode: ModeFn = async (inputs, io) => {
  const file = inputs.observations[0] ?? path.join(inputs.workspace, 'observations.json');
  await mkdir(path.dirname(file), { recursive: true });
  const r = await collect({ ...scanOptions(inputs, io), output: file });
  maskSecrets(r.inventory, io);
  io.logger.info(describeCollect(r));
  return {
    outputs: {
      targets: String(r.targets),
      observations: String(r.file.observations.length),
      'observations-path': r.written ?? file,
    },
    summary: null,
    failure: null,
  };
};
