// The pull-request kinds certwarden proposes, in the order their PRs are planned. A new kind is one
// module implementing PullKind (kind.ts) and one line here.
import { bundle } from './bundle.js';
import type { PullKind } from './kind.js';
import { pin } from './pin.js';
import { renew } from './renew.js';

export const PULL_KINDS: readonly PullKind[] = [pin, bundle, renew];

/** The kind named in a PR marker; undefined for a kind this version does not know. */
export function pullKind(name: string): PullKind | undefined {
  return PULL_KINDS.find((k) => k.kind === name);
}
