// kubernetes-naming: the names Kubernetes authorisation relies on (system:node:<name> in system:nodes,
// system:kube-* component names, admin groups) and, for kubeadm trees, which CA file signed each certificate.
import type { CertRecord } from '../../core/model.js';
import type { KubeadmTargetInfo } from '../../inventory/presets/kubeadm-table.js';
import { parseCertificate } from '../../x509/parse.js';
import { pemBlocks } from '../../x509/pem.js';
import { issuance } from '../../x509/verify/signature.js';
import type { CheckContext, CheckDefinition, CheckResult, PolicyIo } from '../types.js';
import { certLabel, inLeafPosition, q } from './util.js';
import { CHECK_HELP } from '../../core/check-help.js';
import { FileRefusedError } from '../../core/safe-read.js';

export interface KubernetesNamingParams {
  /** system:node:<name> needs O system:nodes and the other way round (default true). */
  nodeGroup?: boolean;
  /** kube-scheduler / kube-controller-manager / kube-proxy need the system: prefix (default true). */
  componentPrefix?: boolean;
  /** kubeadm targets: the certificate is signed by the expected CA file (default true). */
  issuer?: boolean;
}

const COMPONENTS = ['kube-scheduler', 'kube-controller-manager', 'kube-proxy'];
const ROLE_COMPONENT: Record<string, string> = {
  scheduler: 'system:kube-scheduler',
  'controller-manager': 'system:kube-controller-manager',
  'kube-proxy': 'system:kube-proxy',
};

/** The kubeadm facts a preset put on the target, if any. */
function kubeadmInfo(ctx: CheckContext<unknown>): KubeadmTargetInfo | null {
  const info = (ctx.target as { kubeadm?: KubeadmTargetInfo }).kubeadm;
  return info && typeof info === 'object' && typeof info.role === 'string' ? info : null;
}

type CaLoad = { ok: true; cert: CertRecord } | { ok: false; reason: string };
const caCache = new WeakMap<PolicyIo, Map<string, CaLoad>>();

function loadCa(io: PolicyIo, file: string): CaLoad {
  let m = caCache.get(io);
  if (!m) caCache.set(io, (m = new Map()));
  const hit = m.get(file);
  if (hit) return hit;
  let res: CaLoad;
  try {
    const bytes = Buffer.from(io.readFile(file));
    const text = bytes.toString('latin1');
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
    res = { ok: true, cert: parseCertificate(pem ? pemBlocks(pem, file)[0]!.der : bytes, file) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    res = {
      ok: false,
      reason:
        e instanceof FileRefusedError
          ? e.message
          : code === 'ENOENT'
            ? 'file not found'
            : code
              ? `cannot read (${code})`
              : 'not a certificate',
    };
  }
  m.set(file, res);
  return res;
}

function checkIssuer(ctx: CheckContext<unknown>, info: KubeadmTargetInfo): CheckResult[] {
  if (!info.caFile || !info.caName) return [];
  const label = certLabel(ctx);
  const ca = loadCa(ctx.io, info.caFile);
  if (!ca.ok)
    return [
      {
        aspect: 'issuer',
        message: `${label}: cannot evaluate the issuer: the CA file ${info.caName} (${info.caFile}): ${ca.reason}`,
        remediation: { kind: 'manual' },
      },
    ];
  const issued = issuance(ctx.cert, ca.cert);
  if (issued === 'issued') return [];
  if (issued === 'undecodable')
    return [
      {
        aspect: 'issuer',
        message: `${label}: cannot evaluate the issuer: certificate could not be re-read`,
        remediation: { kind: 'manual' },
      },
    ];
  const caCn = ca.cert.subject.CN ?? ca.cert.subject.dn;
  const namesMatch = issued === 'bad-signature';
  const why = namesMatch
    ? "its signature does not verify with that CA's key"
    : `it was issued by ${q(ctx.cert.issuer.dn)}`;
  return [
    {
      aspect: 'issuer',
      message: `${label} is not signed by the CA in ${info.caName} (${q(caCn)}): ${why}`,
      remediation: { kind: 'renew' },
    },
  ];
}

export const kubernetesNamingCheck: CheckDefinition<KubernetesNamingParams> = {
  id: 'kubernetes-naming',
  summary: CHECK_HELP['kubernetes-naming']!.summary,
  help: CHECK_HELP['kubernetes-naming']!.help,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      nodeGroup: { type: 'boolean' },
      componentPrefix: { type: 'boolean' },
      issuer: { type: 'boolean' },
    },
  },
  defaultSeverity: 'error',
  defaultAppliesTo: 'all',
  run(ctx) {
    const p = ctx.params;
    const out: CheckResult[] = [];
    const info = kubeadmInfo(ctx);
    const c = ctx.cert;
    const label = certLabel(ctx);
    const cn = c.subject.CN ?? '';
    const groups = c.subject.O;
    // Naming rules are about identities: the target's own certificate, not CA certificates sent along.
    const identity = info ? ctx.index === 0 && !c.isCA : !c.isCA && (inLeafPosition(ctx) || ctx.index === 0);
    if (identity && p.nodeGroup !== false) {
      if (cn.startsWith('system:node:')) {
        if (cn.length === 'system:node:'.length)
          out.push({
            aspect: 'node-name',
            message: `${label} has an empty node name after system:node:`,
            remediation: { kind: 'renew' },
          });
        if (!groups.includes('system:nodes')) {
          out.push({
            aspect: 'node-group',
            message: `${label} is a node identity but its O is ${JSON.stringify(groups)}, not "system:nodes": the Node authoriser will not recognise it`,
            remediation: { kind: 'renew' },
          });
        }
      } else if (groups.includes('system:nodes')) {
        out.push({
          aspect: 'node-name',
          message: `${label} is in O "system:nodes" but its CN is not system:node:<name>`,
          remediation: { kind: 'renew' },
        });
      }
      if (info?.role === 'kubelet' && cn.startsWith('system:node:') && cn !== info.CN) {
        out.push({
          aspect: 'node-name',
          message: `${label} names node ${q(cn.slice('system:node:'.length))}, expected ${q(info.nodeName)}`,
          remediation: { kind: 'renew' },
        });
      }
      if (info?.role === 'kubelet' && !cn.startsWith('system:node:')) {
        out.push({
          aspect: 'node-name',
          message: `${label} is the kubelet identity but its CN is not ${q(info.CN)}`,
          remediation: { kind: 'renew' },
        });
      }
    }
    if (identity && p.componentPrefix !== false) {
      const want = info ? ROLE_COMPONENT[info.role] : undefined;
      if (COMPONENTS.includes(cn)) {
        out.push({
          aspect: 'component-name',
          message: `${label} lacks the system: prefix: Kubernetes RBAC binds ${q('system:' + cn)}, so ${q(cn)} gets none of the component's permissions`,
          remediation: { kind: 'renew' },
        });
      } else if (want && cn !== want) {
        out.push({
          aspect: 'component-name',
          message: `${label} should be ${q(want)}`,
          remediation: { kind: 'renew' },
        });
      }
    }
    if (identity && info?.acceptedO) {
      const ok = info.acceptedO.some((set) => set.every((g) => groups.includes(g)));
      if (!ok) {
        out.push({
          aspect: 'groups',
          message: `${label} has O ${JSON.stringify(groups)}, expected ${info.acceptedO.map((s) => s.join('+')).join(' or ')}`,
          remediation: { kind: 'renew' },
        });
      }
    }
    if (info && p.issuer !== false && ctx.index === 0) out.push(...checkIssuer(ctx, info));
    return out;
  },
};
