// Following AIA caIssuers where a server (or a Secret) does not send the issuer of the top
// certificate it presents: the issuer is fetched from the URL that certificate names, through the
// run's HTTP fetch port, and attached to the observation (`issuers`) for the evaluation to name the
// missing intermediate and verify the path through it. Collection side: this is where the network
// is; evaluation only reads what was fetched. The bytes are hostile like everything from a server:
// http and https only, a size cap, the port's deadline and per-URL cache (one fetch per issuer per
// run), parsed as certificates only (a private key is refused by the reader), never trusted by
// themselves (the evaluation verifies them like any intermediate).
import type { FetchedIssuer, Observation, ObservedCert } from '../core/model.js';
import type { CertRecord } from '../core/model.js';
import { ParseError } from '../core/errors.js';
import { safeText } from '../core/text.js';
import { caIssuersUrls, topOfPresented } from '../x509/aia.js';
import { readCertificates } from '../x509/read.js';
import { parseCertificate } from '../x509/parse.js';
import { fetchingOff } from './http/offline.js';

/** The fetch port this needs: a subset of the run's HTTP fetcher (sources/http's HttpFetcher is one). */
export interface IssuerFetcher {
  /** Fetching is off (--offline, an air-gapped zone): nothing is fetched. */
  readonly offline: boolean;
  /** Why it is off, in words ("--offline" when not said). */
  readonly offlineReason?: string;
  fetch(req: {
    url: string;
    maxBytes: number;
    accept?: string;
    deadline?: number;
  }): Promise<{ ok: true; body: Buffer; finalUrl: string } | { ok: false; reason: string; message: string }>;
}

/** A CA certificate, or a few in a PKCS#7 bundle: 64 KiB is plenty. */
export const CA_ISSUERS_MAX_BYTES = 64 * 1024;

/**
 * Fetches the issuer of the top presented certificate when it was not sent and is not one of
 * `known` (the inventory's anchors, by subject): the observation comes back with `issuers` set.
 * Only endpoints and Kubernetes objects, whose chain is what a client is sent.
 */
export async function fetchMissingIssuers(
  obs: Observation,
  fetcher: IssuerFetcher,
  opts: { known: ReadonlySet<string>; deadline?: number },
): Promise<Observation> {
  if (obs.status !== 'ok' || (obs.source.kind !== 'endpoint' && obs.source.kind !== 'kubernetes')) return obs;
  const top = topOfPresented(obs.certificates.map((c) => c.record));
  if (!top || top.selfIssued || opts.known.has(top.issuer.dn)) return obs;
  const urls = caIssuersUrls(Buffer.from(top.der, 'base64'));
  if (urls.length === 0) return obs;
  const issuers: FetchedIssuer[] = [];
  for (const url of urls.slice(0, 3)) {
    const got = await fetchOne(url, top, fetcher, opts.deadline);
    issuers.push(got);
    if (got.certificates.length) break;
  }
  return { ...obs, issuers };
}

async function fetchOne(
  url: string,
  top: CertRecord,
  fetcher: IssuerFetcher,
  deadline: number | undefined,
): Promise<FetchedIssuer> {
  const base = { for: top.sha256, url: safeText(url).slice(0, 300) };
  if (!/^https?:\/\//i.test(url))
    return { ...base, certificates: [], error: 'not an http or https URL; not fetched' };
  if (fetcher.offline) return { ...base, certificates: [], error: fetchingOff(fetcher.offlineReason) };
  const res = await fetcher.fetch({
    url,
    maxBytes: CA_ISSUERS_MAX_BYTES,
    accept: 'application/pkix-cert, application/pkcs7-mime',
    ...(deadline !== undefined ? { deadline } : {}),
  });
  if (!res.ok)
    return { ...base, certificates: [], error: `${res.reason}: ${safeText(res.message).slice(0, 200)}` };
  try {
    const read = readCertificates(res.body, { file: base.url, format: 'auto' });
    const certificates: ObservedCert[] = read.certificates
      .slice(0, 8)
      .map((c, i) => ({ origin: `caIssuers[${i}]`, record: c.record }));
    return { ...base, certificates, error: certificates.length ? null : 'served no certificate' };
  } catch (e) {
    const why = e instanceof ParseError ? e.message.replace(`${base.url}: `, '') : 'unreadable';
    return {
      ...base,
      certificates: [],
      error: `served something that is not a certificate (${safeText(why).slice(0, 160)})`,
    };
  }
}

/**
 * For a run: completes each endpoint or Kubernetes observation with the issuers it did not send,
 * through `fetcher` (null when the run has none: nothing is fetched, the evaluation says so).
 * `anchors`: the inventory's anchors, whose issuing needs no fetch.
 */
export function issuerCompleter(
  fetcher: IssuerFetcher | null | undefined,
  anchors: Iterable<{ der: string }>,
  timeoutMs: number,
): ((obs: Observation) => Promise<Observation>) | null {
  if (!fetcher) return null;
  const known = new Set<string>();
  for (const a of anchors) {
    try {
      known.add(parseCertificate(Buffer.from(a.der, 'base64'), 'anchor').subject.dn);
    } catch {
      // an anchor that does not parse was refused by validation already
    }
  }
  return (obs) => fetchMissingIssuers(obs, fetcher, { known, deadline: Date.now() + timeoutMs });
}
