import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/x509/role.ts
function listOf(sourceKind) {
  return sourceKind === "file" ? "file" : "presented";
}
function certificateRole(c, index, list) {
  if (list !== "store" && index === 0 && (list === "presented" || !actsAsCA(c))) return "leaf";
  return c.selfIssued ? "root" : "intermediate";
}
function isCaSet(certs) {
  return certs.length > 1 && certs.every((c, i) => i === 0 ? actsAsCA(c) : c.isCA || c.selfIssued);
}
function actsAsCA(c) {
  return c.isCA || c.version !== void 0 && c.version >= 1 && c.version < 3 && c.selfIssued;
}

export {
  listOf,
  certificateRole,
  isCaSet,
  actsAsCA
};
