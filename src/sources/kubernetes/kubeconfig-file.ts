// A cluster's kubeconfig, read the safe way: the file through core/safe-read (no FIFO, no device,
// a size cap), its YAML checked before client-node sees it so that a problem is reported by line,
// column and kind (client-node's parser quotes the document, which holds tokens and keys), and the
// files it names (certificate-authority, client-certificate, client-key) checked to be regular files
// before the HTTPS agent opens them. Nothing here prints a kubeconfig's content or a URL's userinfo.
import { ConfigError } from '../../core/errors.js';
import { parseSecretYaml, stripUserinfo } from '../../core/input-errors.js';
import type { SourceLocation } from '../../core/model.js';
import { checkReadableFile, readFailure, safeReadTextSync } from '../../core/safe-read.js';
import { safeText } from '../../core/text.js';

/** The parts of client-node's KubeConfig read here (client.ts alone imports client-node). */
interface KubeconfigFiles {
  clusters: { name: string; caFile?: string }[];
  users: { name: string; certFile?: string; keyFile?: string }[];
}

/** Aliases a kubeconfig may expand; real ones have none. */
const MAX_KUBECONFIG_ALIASES = 10;

/** The kubeconfig file's text; a ConfigError naming the cluster and the file otherwise. */
export function readKubeconfigFile(file: string, where: string, location: SourceLocation | null): string {
  try {
    return safeReadTextSync(file, { kind: 'kubeconfig' });
  } catch (e) {
    throw new ConfigError(`${where}: cannot read kubeconfig file ${file}: ${readFailure(e)}`, location);
  }
}

/** Throws a ConfigError locating a YAML problem of the kubeconfig text, without quoting it. */
export function checkKubeconfigYaml(
  text: string,
  shown: string,
  where: string,
  location: SourceLocation | null,
): void {
  const r = parseSecretYaml(text, shown, MAX_KUBECONFIG_ALIASES);
  if (r.ok) return;
  const at = r.problem.location;
  throw new ConfigError(
    `${where}: kubeconfig ${at ? `${at.file}:${at.line}:${at.column}` : shown} is not valid: ${r.problem.message}`,
    location,
  );
}

// client-node's shape errors ("clusters[0].cluster.server is missing") name a field, never a value.
const SHAPE_ERROR = /^(clusters|users|contexts)\[\d+\](\.[A-Za-z-]+)+ is missing$/;

/** What client-node's loadFromString said, when it is a shape error; a generic phrase otherwise. */
export function kubeconfigLoadProblem(e: unknown): string {
  const first = String((e as Error)?.message ?? '').split('\n')[0] ?? '';
  return SHAPE_ERROR.test(first) ? first : 'not a kubeconfig (the content is not shown)';
}

/**
 * The files a kubeconfig names for TLS (certificate-authority, client-certificate, client-key) must
 * be regular files within the certificate cap: client-node reads them whole, so a FIFO would hang
 * the run and /dev/zero fill memory. Throws ConfigError naming the cluster, field and path.
 */
export function checkKubeconfigFiles(
  kc: KubeconfigFiles,
  where: string,
  location: SourceLocation | null,
): void {
  const files: [string, string | undefined][] = [
    ...kc.clusters.map(
      (c) => [`clusters[${c.name}].certificate-authority`, c.caFile] as [string, string | undefined],
    ),
    ...kc.users.flatMap((u) => [
      [`users[${u.name}].client-certificate`, u.certFile] as [string, string | undefined],
      [`users[${u.name}].client-key`, u.keyFile] as [string, string | undefined],
    ]),
  ];
  for (const [field, file] of files) {
    if (!file) continue;
    try {
      checkReadableFile(file, { kind: 'certificate' });
    } catch (e) {
      throw new ConfigError(`${where}: ${safeText(field)} ${safeText(file)}: ${readFailure(e)}`, location);
    }
  }
}

/** A server URL as it may be printed: without `user:password@`. */
export function printableServer(server: string): string {
  return safeText(stripUserinfo(server));
}
