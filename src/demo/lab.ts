// The demo lab: a small PKI made at run time and TLS endpoints with the faults teams meet in real
// life, all on 127.0.0.1 with ports chosen by the OS, plus the inventory that describes them, written
// to a temporary folder. stop() closes every server and socket it opened.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoCa, demoLeaf, type DemoCa, type DemoCert } from '../x509/demo-issuer.js';

const DAY = 86_400_000;
const HOST = '127.0.0.1';

/** The faults the lab plants, one endpoint each. */
export type LabFault =
  | 'healthy'
  | 'expired'
  | 'expiring-soon'
  | 'missing-intermediate'
  | 'wrong-name'
  | 'untrusted-root'
  | 'tarpit';

export interface LabEndpoint {
  /** Target id in the generated inventory. */
  id: string;
  fault: LabFault;
  host: string;
  port: number;
  serverName: string;
  /** What a user should expect the scan to say about it. */
  expect: string;
  /** sha256 of the leaf the endpoint serves (null for the tarpit). */
  leafSha256: string | null;
}

export interface Lab {
  /** Temporary folder holding everything the lab wrote. */
  dir: string;
  /** Folder to pass as --inventory. */
  inventoryDir: string;
  endpoints: LabEndpoint[];
  /** The lab CA certificates (public PEM). */
  anchors: { root: string; intermediate: string };
  /** The trust bundle file that deliberately lacks the intermediate. */
  bundleFile: string;
  stop(): Promise<void>;
}

export interface LabOptions {
  now?: Date;
  /** Parent folder for the temporary folder (default: the OS temp dir). */
  parentDir?: string;
}

interface Running {
  close(): Promise<void>;
  port: number;
}

async function listen(server: net.Server): Promise<Running> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function tlsEndpoint(chain: DemoCert[], key: string): Promise<Running> {
  const srv = tls.createServer({ cert: chain.map((c) => c.pem).join(''), key }, (s) => {
    s.on('error', () => {});
    s.end('certwarden demo lab\n');
  });
  return listen(srv);
}

const yamlString = (s: string): string => JSON.stringify(s);

/** The lab's CAs: the inventory's root and issuing CA, and a rogue pair outside the inventory. */
interface LabCas {
  root: DemoCa;
  issuing: DemoCa;
  rogueIssuing: DemoCa;
}

async function labCas(now: Date): Promise<LabCas> {
  const root = await demoCa({ cn: 'Demo Lab Root CA' }, now);
  const issuing = await demoCa({ cn: 'Demo Lab Issuing CA', issuer: root }, now);
  const rogueRoot = await demoCa({ cn: 'Rogue Root CA' }, now);
  const rogueIssuing = await demoCa({ cn: 'Rogue Issuing CA', issuer: rogueRoot }, now);
  return { root, issuing, rogueIssuing };
}

/** One planted endpoint: its fault, the name it is scanned under, the chain it serves (none: a tarpit). */
interface PlannedEndpoint {
  fault: LabFault;
  name: string;
  chain?: () => Promise<DemoCert[]>;
  expect: string;
}

/** The endpoints the lab plants, one per fault (a table). */
function faultPlan({ issuing, rogueIssuing }: LabCas, now: Date): PlannedEndpoint[] {
  const leaf = (name: string, issuer: DemoCa, notBefore?: Date, notAfter?: Date): Promise<DemoCert> =>
    demoLeaf({ cn: name, dnsNames: [name], issuer, notBefore, notAfter }, now);
  const at = (days: number, extraMs = 0) => new Date(now.getTime() + days * DAY + extraMs);
  return [
    {
      fault: 'healthy',
      name: 'healthy.demo.test',
      chain: async () => [await leaf('healthy.demo.test', issuing), issuing],
      expect: 'no findings',
    },
    {
      fault: 'expired',
      name: 'expired.demo.test',
      chain: async () => [await leaf('expired.demo.test', issuing, at(-100), at(-10)), issuing],
      expect: 'expiry error: expired 10 days ago',
    },
    {
      fault: 'expiring-soon',
      name: 'expiring.demo.test',
      chain: async () => [await leaf('expiring.demo.test', issuing, at(-85), at(5, 3_600_000)), issuing],
      expect: 'expiry error: 5 days left',
    },
    {
      fault: 'missing-intermediate',
      name: 'leaf-only.demo.test',
      chain: async () => [await leaf('leaf-only.demo.test', issuing)],
      expect: 'chain.incomplete: the issuing CA is not sent',
    },
    {
      fault: 'wrong-name',
      name: 'wrong-name.demo.test',
      chain: async () => [await leaf('other-host.demo.test', issuing), issuing],
      expect: 'expect.dnsNames: the certificate is for another name',
    },
    {
      fault: 'untrusted-root',
      name: 'untrusted.demo.test',
      chain: async () => [await leaf('untrusted.demo.test', rogueIssuing), rogueIssuing],
      expect: 'chain.untrusted: issued by a CA outside the inventory',
    },
    {
      fault: 'tarpit',
      name: 'tarpit.demo.test',
      expect: 'source.unreachable (timeout): accepts, never answers',
    },
  ];
}

/** Starts one planted endpoint: a TLS server with its chain, or a socket that accepts and never answers. */
async function startEndpoint(p: PlannedEndpoint): Promise<{ running: Running; leafSha256: string | null }> {
  if (!p.chain)
    return { running: await listen(net.createServer((s) => s.on('error', () => {}))), leafSha256: null };
  const chain = await p.chain();
  const leaf = chain[0] as DemoCert;
  return { running: await tlsEndpoint(chain, leaf.keyPem), leafSha256: leaf.sha256 };
}

/** Writes the anchors, the deliberately incomplete trust bundle and the inventory YAML. */
async function writeLabInventory(
  inventoryDir: string,
  cas: LabCas,
  endpoints: LabEndpoint[],
): Promise<{ bundleFile: string }> {
  await mkdir(path.join(inventoryDir, 'anchors'), { recursive: true });
  await writeFile(path.join(inventoryDir, 'anchors', 'demo-root.pem'), cas.root.pem);
  await writeFile(path.join(inventoryDir, 'anchors', 'demo-issuing.pem'), cas.issuing.pem);
  const bundleFile = path.join(inventoryDir, 'trust-bundle.pem');
  await writeFile(bundleFile, cas.root.pem); // deliberately without the issuing CA
  await writeFile(path.join(inventoryDir, 'demo.yaml'), inventoryYaml(endpoints, cas.root.sha256));
  return { bundleFile };
}

/** Starts the lab. Everything listens on 127.0.0.1 only. */
export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const now = opts.now ?? new Date();
  const dir = await mkdtemp(path.join(opts.parentDir ?? tmpdir(), 'certwarden-demo-'));
  const running: Running[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(running.splice(0).map((r) => r.close()));
  };
  try {
    const cas = await labCas(now);
    const endpoints: LabEndpoint[] = [];
    for (const p of faultPlan(cas, now)) {
      const { running: r, leafSha256 } = await startEndpoint(p);
      running.push(r);
      endpoints.push({
        id: `demo-${p.fault}`,
        fault: p.fault,
        host: HOST,
        port: r.port,
        serverName: p.name,
        expect: p.expect,
        leafSha256,
      });
    }
    const inventoryDir = path.join(dir, 'inventory');
    const { bundleFile } = await writeLabInventory(inventoryDir, cas, endpoints);
    return {
      dir,
      inventoryDir,
      endpoints,
      anchors: { root: cas.root.pem, intermediate: cas.issuing.pem },
      bundleFile,
      stop,
    };
  } catch (err) {
    await stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The lab's inventory, in the v1 format users write (so the demo doubles as an example). */
function inventoryYaml(endpoints: LabEndpoint[], rootSha256: string): string {
  const targets = endpoints
    .map((e) =>
      [
        `  # ${e.fault}: ${e.expect}`,
        `  - id: ${e.id}`,
        `    endpoint: {host: ${yamlString(e.host)}, port: ${e.port}, serverName: ${yamlString(e.serverName)}}`,
        `    expect:`,
        `      dnsNames: [${yamlString(e.serverName)}]`,
        `      chainTo: demo-root`,
        `    labels: {fault: ${yamlString(e.fault)}}`,
      ].join('\n'),
    )
    .join('\n');
  return `# Written by \`certwarden demo\`: a lab on 127.0.0.1 with typical faults.
apiVersion: certwarden/v1
kind: Inventory
metadata:
  name: demo-lab
  description: The certwarden demo lab (loopback only).
  owners: ['@demo/platform']
defaults:
  policies: [baseline]
  zone: lab
anchors:
  - id: demo-root
    file: anchors/demo-root.pem
    sha256: ${rootSha256}
  - id: demo-issuing
    file: anchors/demo-issuing.pem
bundles:
  # The client trust bundle: it should hold both lab CAs but lacks the issuing CA.
  - id: demo-client-bundle
    file: trust-bundle.pem
    contains: [demo-root, demo-issuing]
targets:
${targets}
`;
}
