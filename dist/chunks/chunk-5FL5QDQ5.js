import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  gitHubAccess
} from "./chunk-RFCKPBGI.js";

// src/action/github.ts
function gitHubAccess2(io) {
  const repository = io.event.repository;
  const access = gitHubAccess(
    io.env,
    repository === null ? void 0 : { text: repository, what: "GITHUB_REPOSITORY" }
  );
  return { ...access, runUrl: io.event.runUrl ?? void 0 };
}

export {
  gitHubAccess2 as gitHubAccess
};
