// `certwarden inspect host:port`: a readable picture of what a server presents. Every string that
// comes from the server or its certificates is escaped (no terminal control sequences get through).
import type { CertRecord, ChainResult } from '../core/model.js';
import { parseCertificate } from '../x509/parse.js';
import type { ProbeResult } from '../sources/endpoint/probe.js';
import { safeText, daysUntil } from '../core/text.js';

function keyText(c: CertRecord): string {
  if (c.keyError) return `${c.keyType} (unreadable: ${safeText(c.keyError)})`;
  const size = c.curve ?? (c.keyBits ? `${c.keyBits} bits` : null);
  return size ? `${c.keyType} ${safeText(size)}` : c.keyType;
}

function role(c: CertRecord, i: number): string {
  if (i === 0) return 'leaf';
  if (c.selfIssued) return 'self-signed CA';
  return c.isCA ? 'CA' : 'not a CA';
}

/** One readable block per certificate plus the connection facts; `verify` adds why it is or is not trusted. */
export function renderInspect(result: ProbeResult, verify?: ChainResult, now: Date = new Date()): string {
  const out: string[] = [];
  const where = `${result.host.includes(':') ? `[${safeText(result.host)}]` : safeText(result.host)}:${result.port}`;
  out.push(`endpoint   ${where}${result.serverName ? ` (SNI ${safeText(result.serverName)})` : ' (no SNI)'}`);
  if (result.starttls) out.push(`starttls   ${result.starttls}`);
  if (result.via) out.push(`via        ${safeText(result.via)}`);
  if (result.address) out.push(`address    ${safeText(result.address)}`);
  if (!result.ok) {
    out.push(`result     unreachable: ${result.error?.reason ?? 'unknown'}`);
    out.push(`           ${safeText(result.error?.message ?? '')}`);
    out.push(`attempts   ${result.attempts} in ${result.elapsedMs} ms`);
    return out.join('\n') + '\n';
  }
  out.push(`protocol   ${safeText(result.protocol ?? 'unknown')}`);
  out.push(`cipher     ${safeText(result.cipher ?? 'unknown')}`);
  out.push(`client certificate requested: ${result.clientCertRequested ? 'yes' : 'no'}`);
  out.push(
    `chain      ${result.chain.length} certificate(s) as sent, read from ${
      result.chainMethod === 'handshake'
        ? 'the handshake (exact order and extras)'
        : 'the TLS library (rebuilt; order and extras may differ)'
    }`,
  );
  for (const n of result.notes) out.push(`note       ${safeText(n)}`);
  const records: (CertRecord | string)[] = result.chain.map((der, i) => {
    try {
      return parseCertificate(der, `presented[${i}]`);
    } catch (e) {
      return (e as Error).message;
    }
  });
  out.push(renderCertificates(records, now).trimEnd());
  if (verify) {
    out.push('');
    out.push(
      verify.trusted ? `trusted    yes, chains to anchor ${safeText(verify.anchor ?? '?')}` : 'trusted    NO',
    );
    for (const p of verify.problems) out.push(`  - ${p.code}: ${safeText(p.message)}`);
  }
  return out.join('\n') + '\n';
}

/**
 * One block per certificate, in the order given (a presented chain, or a file's contents). An entry
 * that is a string is a certificate that could not be parsed, with the reason.
 */
export function renderCertificates(records: (CertRecord | string)[], now: Date = new Date()): string {
  const out: string[] = [];
  records.forEach((c, i) => {
    out.push('');
    if (typeof c === 'string') {
      out.push(`[${i}] cannot be parsed: ${safeText(c)}`);
      return;
    }
    const days = daysUntil(c.notAfter, now);
    const expiry = days < 0 ? `EXPIRED ${-days} day(s) ago` : `${days} day(s) left`;
    out.push(`[${i}] ${role(c, i)}`);
    out.push(`    subject   ${safeText(c.subject.dn)}`);
    out.push(`    issuer    ${safeText(c.issuer.dn)}`);
    const sans = [
      ...c.dnsNames.map((d) => `DNS:${d}`),
      ...c.ipAddresses.map((a) => `IP:${a}`),
      ...c.emailAddresses.map((e) => `email:${e}`),
      ...c.uris.map((u) => `URI:${u}`),
    ];
    if (sans.length) out.push(`    SANs      ${sans.map(safeText).join(', ')}`);
    out.push(`    valid     ${c.notBefore} .. ${c.notAfter} (${expiry})`);
    out.push(`    key       ${keyText(c)}, signed ${safeText(c.signatureAlgorithm)}`);
    out.push(`    sha256    ${c.sha256}`);
    const prev = records[i - 1];
    if (i > 0 && typeof prev === 'object' && prev.issuer.dn !== c.subject.dn) {
      out.push(`    note      does not issue the certificate before it (sent out of order or not needed)`);
    }
  });
  return out.join('\n') + '\n';
}
