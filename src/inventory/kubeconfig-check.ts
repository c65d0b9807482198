// What validation can say about each cluster's kubeconfig without contacting anything: a kubeconfig
// file in this repository (a relative path) must exist (an error at its line, as for file targets);
// one outside it (an absolute path, on the runner that scans) or named by an environment variable
// (a workflow secret, absent from a pull-request job) may be missing here, so that is a warning.
// A scan reports an unusable kubeconfig as source.error on the cluster's targets, not as a stop.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Problem } from '../core/errors.js';
import { safeText } from '../core/text.js';
import { isObj, list, type DocCtx } from './load-documents.js';
import { formatPath } from './yaml-source.js';

/** Errors and warnings about the clusters' kubeconfigs, at their lines. */
export function kubeconfigProblems(
  docs: readonly DocCtx[],
  env: NodeJS.ProcessEnv,
): { errors: Problem[]; warnings: Problem[] } {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  for (const d of docs) {
    list(d.data.clusters).forEach((c, i) => {
      if (!isObj(c) || !isObj(c.kubeconfig)) return;
      const kc = c.kubeconfig;
      const name = typeof c.name === 'string' ? `cluster '${safeText(c.name)}'` : 'this cluster';
      if (typeof kc.path === 'string') {
        const at = ['clusters', i, 'kubeconfig', 'path'];
        if (existsSync(resolve(d.dir, kc.path))) return;
        const problem = {
          location: d.doc.locate(at),
          message: `${formatPath(at)}: kubeconfig file '${safeText(kc.path)}' of ${name} does not exist`,
        };
        if (isAbsolute(kc.path))
          warnings.push({
            ...problem,
            message: `${problem.message} here (a scan where it is missing reports source.error on the cluster's targets)`,
          });
        else errors.push(problem);
      } else if (typeof kc.env === 'string') {
        const at = ['clusters', i, 'kubeconfig', 'env'];
        const v = env[kc.env];
        if (v === undefined || v.trim() === '')
          warnings.push({
            location: d.doc.locate(at),
            message: `${formatPath(at)}: environment variable ${kc.env} (the kubeconfig of ${name}) is not set here; a scan without it reports source.error on the cluster's targets`,
          });
      }
    });
  }
  return { errors, warnings };
}
