// Renewal request files (renewals/<target>.yaml): what `sync` proposes in a renewal PR and what
// `renew` applies once the PR is merged. They hold public facts only — never key material.
import { readdirSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { parseSecretYaml } from '../core/input-errors.js';
import { readFailure, safeReadTextSync } from '../core/safe-read.js';

/** Aliases a request may expand; `sync` writes none. */
const MAX_REQUEST_ALIASES = 10;

export type RenewalState = 'pending' | 'applied' | 'failed';

/** The request: who asked for what, for which target Secret. */
export interface RenewalRequest {
  apiVersion: 'certwarden/v1';
  kind: 'RenewalRequest';
  metadata: {
    /** Inventory target id. */
    target: string;
    /** Stable id of this request (content hash): the CSR name and idempotency key derive from it. */
    id: string;
    createdAt: string;
    /** Finding id that triggered it (expiry), when there was one. */
    finding?: string | null;
  };
  spec: {
    method: 'kubernetes-csr';
    cluster: string;
    signerName: string;
    usages: string[];
    expirationSeconds?: number;
    subject: { CN: string; O?: string[]; OU?: string[] };
    dnsNames?: string[];
    ipAddresses?: string[];
    key: { type: 'RSA' | 'EC' | 'Ed25519'; bits?: number; curve?: 'P-256' | 'P-384' | 'P-521' };
    secret: { namespace: string; name: string };
    /** The certificate being replaced (sha256), for the reviewer and for drift checks. */
    replaces?: string | null;
  };
  status?: {
    state: RenewalState;
    csrName?: string;
    sha256?: string;
    notAfter?: string;
    appliedAt?: string;
    /** The merged pull request cited in the CSR approval, or the commit when no PR was found. */
    approvedBy?: string;
    message?: string;
  };
}

const KEY_TYPES = ['RSA', 'EC', 'Ed25519'];

function fail(file: string, line: number, message: string): never {
  throw new ConfigError(message, { file, line, column: 1 });
}

/** Parses and checks one request file; errors name the file and line and what was expected. */
export function parseRenewalRequest(text: string, file: string): RenewalRequest {
  // Told by line, column and kind, never quoted; an alias bomb is bad input (exit 2), not a crash.
  const parsed = parseSecretYaml(text, file, MAX_REQUEST_ALIASES);
  if (!parsed.ok) throw new ConfigError([parsed.problem]);
  const r = parsed.data as Partial<RenewalRequest> | null;
  const need = (ok: unknown, what: string) => {
    if (!ok) fail(file, 1, `renewal request: ${what}`);
  };
  need(
    r && r.apiVersion === 'certwarden/v1' && r.kind === 'RenewalRequest',
    "expected 'apiVersion: certwarden/v1' and 'kind: RenewalRequest'",
  );
  const m = r!.metadata;
  const s = r!.spec;
  need(
    m && typeof m.target === 'string' && typeof m.id === 'string' && typeof m.createdAt === 'string',
    'metadata needs target, id and createdAt (strings)',
  );
  need(s && s.method === 'kubernetes-csr', "spec.method must be 'kubernetes-csr'");
  need(
    typeof s!.cluster === 'string' && typeof s!.signerName === 'string',
    'spec needs cluster and signerName',
  );
  need(
    Array.isArray(s!.usages) && s!.usages.every((u) => typeof u === 'string'),
    'spec.usages must be a list of key usages, e.g. [digital signature, key encipherment, server auth]',
  );
  need(s!.subject && typeof s!.subject.CN === 'string', 'spec.subject.CN is required');
  need(s!.key && KEY_TYPES.includes(s!.key.type), `spec.key.type must be one of ${KEY_TYPES.join(', ')}`);
  need(
    s!.secret && typeof s!.secret.namespace === 'string' && typeof s!.secret.name === 'string',
    'spec.secret needs namespace and name',
  );
  if (s!.expirationSeconds !== undefined)
    need(
      Number.isInteger(s!.expirationSeconds) && s!.expirationSeconds! >= 600,
      'spec.expirationSeconds must be a whole number ≥ 600 (the Kubernetes minimum)',
    );
  if (r!.status)
    need(
      ['pending', 'applied', 'failed'].includes(r!.status.state),
      'status.state must be pending, applied or failed',
    );
  return r as RenewalRequest;
}

/** The YAML text of a request, with a header comment for reviewers. */
export function renderRenewalRequest(r: RenewalRequest): string {
  return `# certwarden renewal request for target '${r.metadata.target}'. Merging the pull request that adds this
# file approves it: \`certwarden renew\` then creates the CertificateSigningRequest, approves it citing
# the pull request, and writes the new certificate and key to the Secret. No key material is stored here.
${stringify(r, { lineWidth: 0 })}`;
}

/** Every request file under a folder (missing folder: none), sorted by file name. */
export function readRenewalRequests(dir: string): { file: string; request: RenewalRequest }[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory())
    throw new ConfigError(`renewals folder ${dir} is not a folder`, { file: dir, line: 1, column: 1 });
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      return { file, request: parseRenewalRequest(readRequestFile(file, dir), file) };
    });
}

/**
 * A request file's text. They come from git and `renew` runs on the default branch, so a committed
 * symlink to /dev/zero, a FIFO or a file outside the folder is refused (from stat), never read.
 */
function readRequestFile(file: string, dir: string): string {
  try {
    return safeReadTextSync(file, { kind: 'renewal', within: dir });
  } catch (e) {
    throw new ConfigError(`renewal request: ${readFailure(e)}`, { file, line: 1, column: 1 });
  }
}

/** File name of a target's request: target ids may hold characters unsafe in paths. */
export function requestFileName(target: string): string {
  return `${target.replace(/[^A-Za-z0-9._-]/g, '_')}.yaml`;
}
