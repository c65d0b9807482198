// `certwarden discover`: options -> discover -> inventory YAML on stdout (or --output), a count on stderr.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { safeText } from '../core/text.js';
import { discover } from '../commands/discover.js';
import { describeWritten, ioLogger, type CliIO } from './io.js';
import { outputFile, strings } from './options.js';

/**
 * The inventory to read: the folders given; else ./inventory, which must exist with --cluster (it
 * names the cluster) and is read only when present with --kubeconfig (it names declared targets).
 */
function inventoryDirsFor(values: Record<string, unknown>, cwd: string): string[] {
  const given = strings(values.inventory);
  if (given.length) return given.map((d) => path.resolve(cwd, d));
  const fallback = path.resolve(cwd, 'inventory');
  return typeof values.cluster === 'string' || existsSync(fallback) ? [fallback] : [];
}

/** Runs discover; returns the exit code. Throws ConfigError for bad input (exit 2). */
export async function runDiscoverCommand(values: Record<string, unknown>, io: CliIO): Promise<number> {
  const cluster = typeof values.cluster === 'string' ? values.cluster : undefined;
  const kubeconfig =
    typeof values.kubeconfig === 'string' ? path.resolve(io.cwd, values.kubeconfig) : undefined;
  const all = Boolean(values.all);
  const output = outputFile(values.output, io.cwd);
  const res = await discover({
    ...(cluster ? { cluster } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(typeof values.context === 'string' ? { context: values.context } : {}),
    namespaces: strings(values.namespace),
    all,
    inventoryDirs: inventoryDirsFor(values, io.cwd),
    // The YAML on stdout as it is read back, never whole in memory.
    ...(output ? { output } : { write: (text: string) => io.stdout(text) }),
    env: io.env,
    logger: ioLogger(io),
  });
  if (res.error !== null) {
    io.stderr(`error: cluster ${safeText(res.cluster)} is unreachable: ${safeText(res.error)}\n`);
    return res.exitCode;
  }
  if (res.yaml !== null) io.stdout(res.yaml);
  io.stderr(
    `discovered ${res.objects} certificate-bearing object(s) in cluster ${safeText(res.cluster)}; ${res.shown} ${all ? 'printed' : 'not declared in the inventory'}\n`,
  );
  if (res.written) io.stderr(`${describeWritten('inventory YAML', res.written, io.cwd)}\n`);
  return res.exitCode;
}
