// `test`: policy unit tests kept beside policies (*.test.yaml). Builds each test's fixture
// certificates, evaluates them under the policies, checks the findings each must and must not produce.
import { runPolicyTests, type TestRunResult } from '../policy/test-runner.js';
import type { LineSink } from './io.js';

export interface PolicyTestOptions {
  /** Folders (absolute) holding *.test.yaml and their packs. */
  dirs: string[];
  /** The listing, one line per test and a total. */
  onLine: LineSink;
}

/** passed/failed counts; exitCode 0 all passed, 1 a test failed, 2 a test or pack is invalid. */
export type PolicyTestResult = TestRunResult;

export async function policyTests(opts: PolicyTestOptions): Promise<PolicyTestResult> {
  return runPolicyTests(opts.dirs, { out: opts.onLine });
}
