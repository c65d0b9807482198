// Helpers for revocation tests: a loopback HTTP server for CRLs (what a CA's distribution point
// is), and certificate extensions that name responders, CRLs and must-staple.
import * as http from 'node:http';
import { listen, type Running } from './tls-servers.js';
import { x509 } from './pki.js';
import { TLS_FEATURE_OID } from '../../src/x509/revocation/pointers.js';

export interface FileServer extends Running {
  url: string;
  /** path -> body; change it at will. */
  files: Map<string, Buffer>;
  /** Requests seen, by path. */
  hits: Map<string, number>;
}

/** Serves `files` over HTTP on 127.0.0.1 (404 for anything else). */
export async function serveFiles(files: Record<string, Buffer> = {}): Promise<FileServer> {
  const map = new Map(Object.entries(files));
  const hits = new Map<string, number>();
  const srv = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = map.get(path);
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': body.length }).end(body);
  });
  const running = await listen(srv);
  return Object.assign(running, { url: `http://127.0.0.1:${running.port}`, files: map, hits });
}

/** Extensions naming where status is found: `ocsp` responders, `crl` distribution points, must-staple. */
export function revocationExtensions(opts: {
  ocsp?: string[];
  crl?: string[];
  mustStaple?: boolean;
}): x509.Extension[] {
  const out: x509.Extension[] = [];
  if (opts.ocsp?.length) out.push(new x509.AuthorityInfoAccessExtension({ ocsp: opts.ocsp }));
  if (opts.crl?.length) out.push(new x509.CRLDistributionPointsExtension(opts.crl));
  if (opts.mustStaple) out.push(new x509.Extension(TLS_FEATURE_OID, false, Buffer.from('3003020105', 'hex')));
  return out;
}
