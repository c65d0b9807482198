// `discover` targets: every certificate-bearing object of a cluster, one observation each (see
// src/sources/kubernetes/discover.ts for ids and scopes). Callers that want bounded memory over huge clusters use
// discoverObservations() directly and consume the stream.
import type { Observation } from '../../core/model.js';
import type { Collector } from '../types.js';
import { discoverObservations } from './discover.js';

export const discoverCollector: Collector = {
  kind: 'discover',
  async collect(target, ctx) {
    const out: Observation[] = [];
    for await (const o of discoverObservations(target, ctx)) out.push(o);
    return out;
  },
};
