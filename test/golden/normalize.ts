// Makes a demo report comparable across runs: the demo issues fresh keys and certificates and binds
// random loopback ports in a temporary folder on every run, so those values (and only those) are
// replaced by placeholders. Everything else — targets, findings, messages, days, order — must match.
export function normalizeDemoReport(json: string): string {
  return json
    .replace(/\/tmp\/certwarden-demo-[A-Za-z0-9]+/g, '<demo-dir>')
    .replace(/\b[0-9a-f]{64}\b/g, '<sha256>')
    .replace(/("serial": ")[0-9a-f]+"/g, '$1<serial>"')
    .replace(/\b[0-9a-f]{2}(?::[0-9a-f]{2}){7,}\b/gi, '<key-id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>')
    .replace(/\bcw-[0-9a-f]{16}\b/g, '<finding-id>')
    .replace(/("port": )\d+/g, '$1"<port>"')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');
}
