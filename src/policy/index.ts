// The policy stage's public surface: load packs, evaluate them per target, apply waivers.
export {
  loadPolicies,
  parsePolicyText,
  parseExpiry,
  policySchema,
  isPolicyFile,
  nodeIo,
  type LoadPoliciesOptions,
} from './load.js';
export { evaluatePolicies, certRole } from './evaluate.js';
export { policiesFor, checkTargetPolicies, policyPathsOf, isPolicyPath } from './packs.js';
export {
  applyWaivers,
  checkWaiverTargets,
  waiverCovers,
  type ApplyWaiversOptions,
  type WaiverTargetProblem,
} from './waivers.js';
export { CHECKS, checkFor } from './checks/index.js';
export {
  compileCel,
  celModel,
  CEL_VARIABLES,
  CelCompileError,
  type CompiledExpr,
  type CelModel,
} from './cel.js';
export type {
  PolicySet,
  Policy,
  PolicyRule,
  Waiver,
  PolicyIo,
  CheckDefinition,
  CheckContext,
  CheckResult,
  EvaluateInput,
  AppliesTo,
} from './types.js';
