// Kubeconfig loading for an inventory ClusterRef: a file, an environment variable's text, or the
// in-cluster service account; then the safety rules (no exec / auth-provider users, no skipped TLS
// verification or plain HTTP unless the inventory allows it). Throws ConfigError naming the cluster.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../../core/errors.js';
import type { ClusterRef } from '../../inventory/types.js';
import { safeText } from '../../core/text.js';
import type { Logger } from '../../core/logger.js';
import { readFailure, safeReadTextSync } from '../../core/safe-read.js';
import {
  checkKubeconfigFiles,
  checkKubeconfigYaml,
  kubeconfigLoadProblem,
  printableServer,
  readKubeconfigFile,
} from './kubeconfig-file.js';

export interface ClientOptions {
  env?: NodeJS.ProcessEnv;
  /** Per request deadline, ms. */
  timeoutMs?: number;
  /** Root for the in-cluster service account files (tests); default '' (i.e. /var/run/secrets/…). */
  serviceAccountRoot?: string;
  /** Largest response body accepted, bytes (a page of objects, not the cluster). */
  maxBodyBytes?: number;
  /** Says where each kubeconfig was read from (an environment variable's text or the file it names). */
  logger?: Logger;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Loads the kubeconfig a ClusterRef names and applies the context. Throws ConfigError. */
export function loadKubeConfig(cluster: ClusterRef, opts: ClientOptions = {}): KubeConfig {
  const env = opts.env ?? process.env;
  const where = `cluster '${cluster.name}'`;
  const kc = new KubeConfig();
  const src = cluster.kubeconfig;
  if (src.inCluster) {
    const host = env.KUBERNETES_SERVICE_HOST;
    const port = env.KUBERNETES_SERVICE_PORT;
    if (!host || !port) {
      throw new ConfigError(
        `${where}: inCluster is set but KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not (expected to run in a pod)`,
        cluster.location,
      );
    }
    const root = `${opts.serviceAccountRoot ?? ''}${SA_DIR}`;
    const caFile = path.join(root, 'ca.crt');
    const tokenFile = path.join(root, 'token');
    for (const f of [caFile, tokenFile]) {
      if (!fs.existsSync(f))
        throw new ConfigError(
          `${where}: inCluster is set but ${f} does not exist (expected a mounted service account)`,
          cluster.location,
        );
    }
    const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    kc.loadFromClusterAndUser(
      { name: 'inCluster', server, caFile, skipTLSVerify: false },
      // client-node's tokenFile provider re-reads the token, so rotated service account tokens work.
      { name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile } } },
    );
    return kc; // built here, so the exec/auth-provider rule does not apply to it
  }
  let text: string;
  let file: string | undefined;
  if (src.path) {
    file = src.path;
    text = readKubeconfigFile(file, where, cluster.location);
  } else if (src.env) {
    const v = env[src.env];
    if (v === undefined || v.trim() === '') {
      throw new ConfigError(
        `${where}: environment variable ${src.env} is not set (expected the kubeconfig text, or the path of a kubeconfig file)`,
        cluster.location,
      );
    }
    // The variable holds the kubeconfig text (a workflow secret) or, by the KUBECONFIG
    // convention, the path of a kubeconfig file: one line that is not YAML/JSON content.
    const line = v.trim();
    if (!line.includes('\n') && !/^[{[]/.test(line) && !/^[A-Za-z-]+:\s/.test(line)) {
      file = path.resolve(line);
      try {
        text = safeReadTextSync(file, { kind: 'kubeconfig' });
      } catch (e) {
        throw new ConfigError(
          `${where}: environment variable ${src.env} names kubeconfig file ${safeText(file)}, which cannot be read: ${readFailure(e)}`,
          cluster.location,
        );
      }
      opts.logger?.info(`${where}: kubeconfig read from file ${safeText(file)} (the path in ${src.env})`);
    } else {
      text = v;
      opts.logger?.info(`${where}: kubeconfig read from the text in ${src.env}`);
    }
  } else {
    throw new ConfigError(`${where}: kubeconfig needs one of path, env or inCluster`, cluster.location);
  }
  // The document may hold credentials: a problem is told by line, column and kind, never quoted.
  checkKubeconfigYaml(text, file ?? `text from ${src.env}`, where, cluster.location);
  try {
    kc.loadFromString(text);
  } catch (e) {
    throw new ConfigError(
      `${where}: kubeconfig ${file ? `file ${safeText(file)}` : `text from ${src.env}`} is not valid (${kubeconfigLoadProblem(e)})`,
      cluster.location,
    );
  }
  if (file) resolveRelativeFiles(kc, path.dirname(file));
  checkKubeconfigFiles(kc, where, cluster.location);
  if (src.context) {
    if (!kc.getContextObject(src.context)) {
      throw new ConfigError(
        `${where}: context '${src.context}' is not in the kubeconfig. Expected one of: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || '(none)'
        }`,
        cluster.location,
      );
    }
    kc.setCurrentContext(src.context);
  }
  checkSafety(kc, cluster);
  return kc;
}

function resolveRelativeFiles(kc: KubeConfig, dir: string): void {
  // loadFromString does not know the file's folder; kubectl resolves relative paths against it.
  for (const c of kc.clusters)
    if (c.caFile && !path.isAbsolute(c.caFile)) c.caFile = path.join(dir, c.caFile);
  for (const u of kc.users) {
    if (u.certFile && !path.isAbsolute(u.certFile)) u.certFile = path.join(dir, u.certFile);
    if (u.keyFile && !path.isAbsolute(u.keyFile)) u.keyFile = path.join(dir, u.keyFile);
  }
}

/** The safety rules for a kubeconfig from the inventory. Throws ConfigError naming the rule and the flag. */
function checkSafety(kc: KubeConfig, cluster: ClusterRef): void {
  const where = `cluster '${cluster.name}'`;
  const ctxName = kc.getCurrentContext();
  if (!ctxName || !kc.getContextObject(ctxName)) {
    throw new ConfigError(
      `${where}: the kubeconfig has no current context; set kubeconfig.context`,
      cluster.location,
    );
  }
  const user = kc.getCurrentUser();
  const kcluster = kc.getCurrentCluster();
  if (!kcluster)
    throw new ConfigError(
      `${where}: context '${ctxName}' names no cluster that the kubeconfig defines`,
      cluster.location,
    );
  const problems: string[] = [];
  if (user?.exec && !cluster.allowExec) {
    problems.push(
      `user '${safeText(user.name)}' runs a command (exec: ${safeText(String(user.exec.command ?? '?'))}); certwarden does not run commands from kubeconfigs unless the cluster sets allowExec: true`,
    );
  }
  if (user?.authProvider && !cluster.allowExec) {
    problems.push(
      `user '${safeText(user.name)}' uses an auth-provider (${safeText(String(user.authProvider.name ?? '?'))}), which may run commands; refused unless the cluster sets allowExec: true`,
    );
  }
  if (kcluster.skipTLSVerify && !cluster.allowInsecure) {
    problems.push(
      `cluster '${safeText(kcluster.name)}' sets insecure-skip-tls-verify; refused unless the cluster sets allowInsecure: true`,
    );
  }
  if (/^http:/i.test(kcluster.server) && !cluster.allowInsecure) {
    problems.push(
      `cluster '${safeText(kcluster.name)}' server ${printableServer(kcluster.server)} is plain HTTP; refused unless the cluster sets allowInsecure: true`,
    );
  }
  if (problems.length) {
    throw new ConfigError(problems.map((p) => ({ location: cluster.location, message: `${where}: ${p}` })));
  }
}
