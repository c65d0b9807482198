// The kubeadm preset: one inventory line for a control-plane node's whole PKI. Expands into a file
// target per certificate under pkiDir and a kubeconfig target per kubeconfig, each with its expect
// block (CN, O, SANs) from the kubeadm table, the kubernetes-pki pack, and the facts the
// kubernetes-naming check needs (role and issuing CA file) on `target.kubeadm`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Expect, KubeadmPreset, Target } from '../types.js';
import { kubeadmTable, type KubeadmTargetInfo } from './kubeadm-table.js';

/** A target produced by the preset: a Target plus the kubeadm facts of its file. */
export type KubeadmTarget = Target & { kubeadm: KubeadmTargetInfo };

/** The pack every expanded target gets. */
const KUBEADM_POLICY = 'kubernetes-pki';

export interface ExpandOptions {
  /** Whether an optional file (super-admin.conf) exists; default: the file system. */
  exists?: (file: string) => boolean;
  /** Whether pkiDir exists; default: the file system. */
  dirExists?: (dir: string) => boolean;
}

/**
 * Expands `preset: {kubeadm: …}` into file and kubeconfig targets with ids
 * `<target id>/<path relative to the kubeadm folder>` (`cp1/pki/apiserver.crt`, `cp1/admin.conf`).
 * Kubeconfigs are read from the parent of pkiDir unless confDir is given. Other targets pass through.
 */
export function expandKubeadmPreset(target: Target, opts: ExpandOptions = {}): Target[] {
  if (target.source.kind !== 'preset') return [target];
  const k: KubeadmPreset = target.source.preset.kubeadm;
  const exists = opts.exists ?? existsSync;
  const base = path.dirname(target.location.file);
  const pkiDir = path.resolve(base, k.pkiDir);
  const confDir = path.resolve(base, k.confDir ?? path.dirname(pkiDir));
  const policies = [...new Set([...(target.policies ?? []), KUBEADM_POLICY])];
  // No pkiDir on this machine: one target for the folder (read once, "not found" once), not one
  // unreadable target per file the table lists.
  if (!(opts.dirExists ?? existsSync)(pkiDir))
    return [
      {
        id: target.id,
        inventory: target.inventory,
        location: target.location,
        source: { kind: 'file', file: { path: pkiDir } },
        policies,
        owners: target.owners,
        zone: target.zone,
        labels: { ...target.labels },
        expandedFrom: target.id,
        ...(target.network ? { network: target.network } : {}),
        ...(target.paths ? { paths: { ...target.paths } } : {}),
      },
    ];
  const out: KubeadmTarget[] = [];
  for (const e of kubeadmTable(k)) {
    const abs =
      e.kind === 'file' ? path.join(pkiDir, e.file.replace(/^pki\//, '')) : path.join(confDir, e.file);
    if (e.optional && !exists(abs)) continue;
    const expect: Expect = { subject: { CN: e.CN, ...(e.O ? { O: e.O } : {}) } };
    if (e.dnsNames?.length) expect.dnsNames = e.dnsNames;
    if (e.ipAddresses?.length) expect.ipAddresses = e.ipAddresses;
    const t: KubeadmTarget = {
      id: `${target.id}/${e.file}`,
      inventory: target.inventory,
      location: target.location,
      source:
        e.kind === 'file'
          ? { kind: 'file', file: { path: abs, format: 'pem' } }
          : { kind: 'kubeconfig', kubeconfig: { path: abs } },
      expect,
      renewal: target.renewal ?? {
        method: 'kubeadm',
        runbook: 'kubeadm certs renew all (then restart the control-plane static pods)',
      },
      policies,
      owners: target.owners,
      zone: target.zone,
      labels: { ...target.labels },
      expandedFrom: target.id,
      role: e.role,
      ...(target.network ? { network: target.network } : {}),
      ...(target.paths ? { paths: { ...target.paths } } : {}),
      kubeadm: {
        role: e.role,
        file: e.file,
        caFile: e.issuer ? path.join(pkiDir, e.issuer) : null,
        caName: e.issuer,
        CN: e.CN,
        acceptedO: e.acceptedO ?? null,
        nodeName: k.nodeName,
      },
    };
    out.push(t);
  }
  return out;
}
