// The policy stage's public surface for the pipeline: load packs, check the inventory's references to
// packs and waivers. Other modules import the policy files they need directly.
export { loadPolicies } from './load.js';
export { checkTargetPolicies, policyPathsOf } from './packs.js';
export { checkWaiverTargets } from './waivers.js';
export type { PolicySet } from './types.js';
