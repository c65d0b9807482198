// Inventory loading, phase 1 (files and parsing): the YAML files under each input, read once,
// checked for private keys (PEM text and base64 values), parsed with locations; the Inventory
// documents are kept, other kinds skipped (a certwarden document of an unknown kind is a problem).
import { readdir, stat } from 'node:fs/promises';
import { CONFIG_READ_TIMEOUT_MS, readFailure, safeRead } from '../core/safe-read.js';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Problem } from '../core/errors.js';
import { containsPrivateKey } from '../x509/read.js';
import { parseYaml, formatPath, type YamlDoc } from './yaml-source.js';
import { describeValue, suggest } from './schema.js';
import { PRIVATE_KEY_REFUSAL, findEncodedKey } from './files.js';

export type Obj = Record<string, unknown>;

/** One Inventory document with where it came from. */
export interface DocCtx {
  doc: YamlDoc;
  data: Obj;
  dir: string; // absolute folder of the file
  name: string; // metadata.name (or the file when missing)
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const strList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The Inventory documents of every input (folders recursively, each file once), in file order. */
export async function readDocuments(
  dirsOrFiles: string[],
  cwd: string,
  problems: Problem[],
): Promise<DocCtx[]> {
  const files: string[] = [];
  for (const input of dirsOrFiles) files.push(...(await yamlFiles(input, problems)));
  const docs: DocCtx[] = [];
  const seenFiles = new Set<string>();
  for (const file of files) {
    const abs = resolve(file);
    if (seenFiles.has(abs)) continue;
    seenFiles.add(abs);
    docs.push(...(await readInventoryFile(abs, displayPath(abs, cwd), problems)));
  }
  return docs;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** `*.yaml` / `*.yml` under a folder (recursive, sorted), or the file itself. */
async function yamlFiles(input: string, problems: Problem[]): Promise<string[]> {
  let st;
  try {
    st = await stat(input);
  } catch {
    problems.push({ location: null, message: `inventory path '${input}' does not exist` });
    return [];
  }
  // Not a folder: read as a file (a FIFO or device is refused by the read, as a problem).
  if (!st.isDirectory()) return [input];
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      // Every *.yaml that is not a folder: a FIFO, device or dangling link is a problem, not skipped.
      else if (/\.ya?ml$/i.test(e.name) && !(e.isSymbolicLink() && (await isDirectory(full)))) out.push(full);
    }
  };
  await walk(input);
  return out;
}

const INVENTORY_HINT_KEYS = ['targets', 'anchors', 'bundles', 'clusters', 'defaults'];
/** Kinds of certwarden documents that may sit beside inventories (policies, renewal requests). */
const CERTWARDEN_KINDS = ['Inventory', 'Policy', 'RenewalRequest', 'PolicyTest'];

/** Where problems point: relative to the working folder when the file is inside it (as CI logs and SARIF want). */
function displayPath(abs: string, cwd: string): string {
  const rel = relative(resolve(cwd), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** The Inventory documents of one file (others skipped), after YAML and private-key checks. */
async function readInventoryFile(abs: string, file: string, problems: Problem[]): Promise<DocCtx[]> {
  let bytes: Buffer;
  try {
    bytes = await safeRead(abs, { kind: 'inventory', timeoutMs: CONFIG_READ_TIMEOUT_MS });
  } catch (err) {
    problems.push({
      location: { file, line: 1, column: 1 },
      message: `cannot read file: ${readFailure(err)}`,
    });
    return [];
  }
  const text = bytes.toString('utf8');
  if (containsPrivateKey(bytes)) {
    problems.push({
      location: { file, line: privateKeyLine(text), column: 1 },
      message: `this file contains a private key; ${PRIVATE_KEY_REFUSAL}`,
    });
    return [];
  }
  const parsed = parseYaml(text, file);
  const out: DocCtx[] = [];
  for (const p of parsed.problems) problems.push(p);
  for (const doc of parsed.docs) {
    // Base64 values (Secret data, kubeconfig *-data) are checked for keys too, inventory or not.
    const leak = findEncodedKey(doc.data, []);
    if (leak) {
      problems.push({
        location: doc.locate(leak),
        message: `${formatPath(leak)}: this value is a private key; ${PRIVATE_KEY_REFUSAL}`,
      });
      continue;
    }
    if (!isObj(doc.data)) continue;
    const kind = doc.data.kind;
    const apiVersion = doc.data.apiVersion;
    const looksInventory =
      (typeof apiVersion === 'string' && apiVersion.startsWith('certwarden/')) ||
      INVENTORY_HINT_KEYS.some((k) => k in (doc.data as Obj));
    if (kind === undefined) {
      if (looksInventory)
        problems.push({
          location: doc.locate([]),
          message: "missing required key 'kind' (expected kind: Inventory)",
        });
      continue;
    }
    if (typeof kind !== 'string' || kind.toLowerCase() !== 'inventory') {
      // A certwarden document of an unknown kind is a typo, not someone else's file: skipping it
      // silently would drop its targets (and sync would close their issues as fixed).
      if (
        typeof apiVersion === 'string' &&
        apiVersion.startsWith('certwarden/') &&
        !CERTWARDEN_KINDS.includes(String(kind))
      ) {
        const near = suggest(String(kind), CERTWARDEN_KINDS);
        problems.push({
          location: doc.locate(['kind']),
          message: `kind: unknown certwarden kind ${describeValue(kind)} (expected one of ${CERTWARDEN_KINDS.join(', ')}${near ? `; did you mean '${near}'?` : ''})`,
        });
      }
      continue;
    }
    const meta = isObj(doc.data.metadata) ? doc.data.metadata : {};
    out.push({
      doc,
      data: doc.data,
      dir: dirname(abs),
      name: typeof meta.name === 'string' ? meta.name : file,
    });
  }
  return out;
}

function privateKeyLine(text: string): number {
  const idx = text.search(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY/);
  if (idx < 0) return 1;
  return text.slice(0, idx).split('\n').length;
}
