// `certwarden validate`: options -> validate -> "valid: …" (problems go through main's ConfigError handler).
import { describeValidation, validate } from '../commands/validate.js';
import { dirsOf, inventoryDirs, strings, type CommandContext } from './options.js';

export async function run({ values, io }: CommandContext): Promise<number> {
  const res = await validate({
    inventoryDirs: inventoryDirs(values, io.cwd),
    policyDirs: dirsOf(values.policies, 'policies', io.cwd),
    env: io.env,
    ...(typeof values.zone === 'string' ? { zone: values.zone } : {}),
    ...(strings(values.target).length ? { targets: strings(values.target) } : {}),
  });
  io.stdout(`${describeValidation(res.counts)}\n`);
  return res.exitCode;
}
