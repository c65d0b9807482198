// What kubeadm generates, file by file: subject, SANs, issuing CA. One table used by the preset
// (targets and expect blocks) and by the kubernetes-naming check (naming rules and issuer).
// Follows current kubeadm (1.29+) where it differs from older docs, accepting the older forms.

/** Parameters of a `preset: {kubeadm: …}` block that the expectations depend on. */
export interface KubeadmParams {
  nodeName: string;
  advertiseAddress?: string;
  serviceSubnet?: string;
  clusterDomain?: string;
  controlPlaneEndpoint?: string;
  etcd?: boolean;
}

export type KubeadmRole =
  | 'kubernetes-ca'
  | 'apiserver'
  | 'apiserver-kubelet-client'
  | 'apiserver-etcd-client'
  | 'front-proxy-ca'
  | 'front-proxy-client'
  | 'etcd-ca'
  | 'etcd-server'
  | 'etcd-peer'
  | 'etcd-healthcheck-client'
  | 'admin'
  | 'super-admin'
  | 'controller-manager'
  | 'scheduler'
  | 'kubelet';

/** The CA files of a kubeadm tree, relative to pkiDir. */
export type KubeadmCaFile = 'ca.crt' | 'etcd/ca.crt' | 'front-proxy-ca.crt';

export interface KubeadmEntry {
  role: KubeadmRole;
  /** Path relative to the kubeadm folder (the parent of pkiDir): `pki/apiserver.crt`, `admin.conf`. */
  file: string;
  kind: 'file' | 'kubeconfig';
  ca: boolean;
  /** The CA file (relative to pkiDir) that must have signed it; null for self-signed CAs. */
  issuer: KubeadmCaFile | null;
  CN: string;
  /** Exact O when kubeadm always writes the same groups; undefined when versions differ. */
  O?: string[];
  /** Any one of these O sets is accepted (the kubernetes-naming check). */
  acceptedO?: string[][];
  dnsNames?: string[];
  ipAddresses?: string[];
  usages: ('serverAuth' | 'clientAuth')[];
  /** Present only on some versions or nodes (super-admin.conf exists on the first control-plane node, 1.29+). */
  optional?: boolean;
}

/** First address of a subnet (the kubernetes Service IP): 10.96.0.0/12 -> 10.96.0.1. Dual-stack: the first subnet. */
export function firstServiceIp(subnet: string): string {
  const first = subnet.split(',')[0]!.trim();
  const [addr, bitsText] = first.split('/');
  const bits = Number(bitsText);
  if (!addr || !Number.isInteger(bits))
    throw new Error(`invalid serviceSubnet ${JSON.stringify(subnet)}: expected CIDR such as 10.96.0.0/12`);
  if (addr.includes(':')) {
    const parts = expandIpv6(addr);
    let n = parts.reduce((acc, p) => (acc << 16n) | BigInt(p), 0n);
    const mask = bits === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
    n = (n & mask) + 1n;
    const out: string[] = [];
    for (let i = 7; i >= 0; i--) out.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
    return compressIpv6(out);
  }
  const octets = addr.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255))
    throw new Error(`invalid serviceSubnet ${JSON.stringify(subnet)}: expected CIDR such as 10.96.0.0/12`);
  let n = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  n = Math.floor(n / size) * size + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function expandIpv6(a: string): number[] {
  const [head, tail] = a.split('::');
  const h = head ? head.split(':').map((x) => parseInt(x, 16)) : [];
  const t = tail !== undefined && tail ? tail.split(':').map((x) => parseInt(x, 16)) : [];
  const fill = a.includes('::') ? new Array(8 - h.length - t.length).fill(0) : [];
  return [...h, ...fill, ...t];
}

function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

const ADMIN_GROUPS = [['kubeadm:cluster-admins'], ['system:masters']];

/** Every certificate-bearing file kubeadm writes for a control-plane node, with what it must contain. */
export function kubeadmTable(p: KubeadmParams): KubeadmEntry[] {
  const domain = p.clusterDomain ?? 'cluster.local';
  const ips: string[] = [];
  if (p.serviceSubnet) ips.push(firstServiceIp(p.serviceSubnet));
  if (p.advertiseAddress) ips.push(p.advertiseAddress);
  const dns = [
    p.nodeName,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${domain}`,
  ];
  if (p.controlPlaneEndpoint) {
    const host = p.controlPlaneEndpoint.replace(/^\[|\](:\d+)?$|:\d+$/g, '');
    if (/^[\d.]+$/.test(host) || host.includes(':')) ips.push(host);
    else dns.push(host);
  }
  const etcdIps = [...(p.advertiseAddress ? [p.advertiseAddress] : []), '127.0.0.1', '::1'];
  const entries: KubeadmEntry[] = [
    {
      role: 'kubernetes-ca',
      file: 'pki/ca.crt',
      kind: 'file',
      ca: true,
      issuer: null,
      CN: 'kubernetes',
      usages: [],
    },
    {
      role: 'apiserver',
      file: 'pki/apiserver.crt',
      kind: 'file',
      ca: false,
      issuer: 'ca.crt',
      CN: 'kube-apiserver',
      dnsNames: dns,
      ipAddresses: ips,
      usages: ['serverAuth'],
    },
    {
      role: 'apiserver-kubelet-client',
      file: 'pki/apiserver-kubelet-client.crt',
      kind: 'file',
      ca: false,
      issuer: 'ca.crt',
      CN: 'kube-apiserver-kubelet-client',
      acceptedO: ADMIN_GROUPS,
      usages: ['clientAuth'],
    },
    {
      role: 'front-proxy-ca',
      file: 'pki/front-proxy-ca.crt',
      kind: 'file',
      ca: true,
      issuer: null,
      CN: 'front-proxy-ca',
      usages: [],
    },
    {
      role: 'front-proxy-client',
      file: 'pki/front-proxy-client.crt',
      kind: 'file',
      ca: false,
      issuer: 'front-proxy-ca.crt',
      CN: 'front-proxy-client',
      usages: ['clientAuth'],
    },
  ];
  if (p.etcd !== false) {
    entries.push(
      {
        role: 'etcd-ca',
        file: 'pki/etcd/ca.crt',
        kind: 'file',
        ca: true,
        issuer: null,
        CN: 'etcd-ca',
        usages: [],
      },
      {
        role: 'etcd-server',
        file: 'pki/etcd/server.crt',
        kind: 'file',
        ca: false,
        issuer: 'etcd/ca.crt',
        CN: p.nodeName,
        dnsNames: [p.nodeName, 'localhost'],
        ipAddresses: etcdIps,
        usages: ['serverAuth', 'clientAuth'],
      },
      {
        role: 'etcd-peer',
        file: 'pki/etcd/peer.crt',
        kind: 'file',
        ca: false,
        issuer: 'etcd/ca.crt',
        CN: p.nodeName,
        dnsNames: [p.nodeName, 'localhost'],
        ipAddresses: etcdIps,
        usages: ['serverAuth', 'clientAuth'],
      },
      {
        role: 'etcd-healthcheck-client',
        file: 'pki/etcd/healthcheck-client.crt',
        kind: 'file',
        ca: false,
        issuer: 'etcd/ca.crt',
        CN: 'kube-etcd-healthcheck-client',
        usages: ['clientAuth'],
      },
      {
        role: 'apiserver-etcd-client',
        file: 'pki/apiserver-etcd-client.crt',
        kind: 'file',
        ca: false,
        issuer: 'etcd/ca.crt',
        CN: 'kube-apiserver-etcd-client',
        usages: ['clientAuth'],
      },
    );
  }
  entries.push(
    {
      role: 'admin',
      file: 'admin.conf',
      kind: 'kubeconfig',
      ca: false,
      issuer: 'ca.crt',
      CN: 'kubernetes-admin',
      acceptedO: ADMIN_GROUPS,
      usages: ['clientAuth'],
    },
    {
      role: 'super-admin',
      file: 'super-admin.conf',
      kind: 'kubeconfig',
      ca: false,
      issuer: 'ca.crt',
      CN: 'kubernetes-super-admin',
      O: ['system:masters'],
      usages: ['clientAuth'],
      optional: true,
    },
    {
      role: 'controller-manager',
      file: 'controller-manager.conf',
      kind: 'kubeconfig',
      ca: false,
      issuer: 'ca.crt',
      CN: 'system:kube-controller-manager',
      usages: ['clientAuth'],
    },
    {
      role: 'scheduler',
      file: 'scheduler.conf',
      kind: 'kubeconfig',
      ca: false,
      issuer: 'ca.crt',
      CN: 'system:kube-scheduler',
      usages: ['clientAuth'],
    },
    {
      role: 'kubelet',
      file: 'kubelet.conf',
      kind: 'kubeconfig',
      ca: false,
      issuer: 'ca.crt',
      CN: `system:node:${p.nodeName}`,
      O: ['system:nodes'],
      usages: ['clientAuth'],
    },
  );
  return entries;
}

/** What the kubernetes-naming check needs about a preset-expanded target (carried on the target as `kubeadm`). */
export interface KubeadmTargetInfo {
  role: KubeadmRole;
  /** Relative to the kubeadm folder, as in the target id. */
  file: string;
  /** Absolute path of the CA certificate that must have signed this one, or null. */
  caFile: string | null;
  /** The CA file as kubeadm names it (`ca.crt`, `etcd/ca.crt`, `front-proxy-ca.crt`). */
  caName: KubeadmCaFile | null;
  CN: string;
  acceptedO: string[][] | null;
  nodeName: string;
}
