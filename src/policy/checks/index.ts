// The built-in checks, keyed by id (the finding `check` name of the contract).
import type { CheckDefinition } from '../types.js';
import { basicConstraintsCheck } from './basic-constraints.js';
import { ekuCheck } from './eku.js';
import { expiryCheck } from './expiry.js';
import { keyCheck } from './key.js';
import { kubernetesNamingCheck } from './kubernetes-naming.js';
import { sanCheck } from './san.js';
import { signatureCheck } from './signature.js';
import { validityCheck } from './validity.js';

export const CHECKS: ReadonlyMap<string, CheckDefinition> = new Map<string, CheckDefinition>(
  [
    expiryCheck,
    validityCheck,
    keyCheck,
    signatureCheck,
    sanCheck,
    ekuCheck,
    basicConstraintsCheck,
    kubernetesNamingCheck,
  ].map((c) => [c.id, c as CheckDefinition]),
);
