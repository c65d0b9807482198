// argv -> option values and positional arguments for one command, with errors a person can act on:
// an unknown option names the closest real one, an option missing its value says which value, and a
// positional argument the command does not take is an error (never silently dropped).
import { parseArgs } from 'node:util';
import { suggest } from '../core/text.js';
import type { Command } from './options.js';

/** A command line that does not fit the command; `message` is one plain sentence. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

/** Shows a word from argv in a message: quoted, control characters escaped, long words cut. */
function quote(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return `'${clean.length > 60 ? `${clean.slice(0, 57)}...` : clean}'`;
}

/** Parses `args` for `cmd`; throws UsageError for anything it does not take. */
export function parseCommandArgs(name: string, cmd: Command, args: string[]): ParsedArgs {
  const specs = cmd.options ?? {};
  const config: NonNullable<Parameters<typeof parseArgs>[0]>['options'] = {};
  for (const [k, o] of Object.entries(specs))
    config[k] = {
      type: o.type,
      ...(o.multiple ? { multiple: true } : {}),
      ...(o.short ? { short: o.short } : {}),
    };
  const { values, positionals, tokens } = parseArgs({
    args,
    options: config,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec = specs[t.name];
    if (!spec) {
      const near = t.rawName.startsWith('--') ? suggest(t.name, Object.keys(specs)) : null;
      throw new UsageError(`unknown option ${quote(t.rawName)}${near ? ` (did you mean '--${near}'?)` : ''}`);
    }
    if (spec.type === 'string') {
      if (t.value === undefined)
        throw new UsageError(`option '--${t.name}' needs a value (${spec.valueName ?? 'VALUE'})`);
      if (!t.inlineValue && t.value.startsWith('-') && t.value.length > 1)
        throw new UsageError(
          `option '--${t.name}' needs a value (${spec.valueName ?? 'VALUE'}), got the option ${quote(t.value)}; write --${t.name}=${t.value} if that is the value`,
        );
    } else if (t.value !== undefined) {
      throw new UsageError(`option '--${t.name}' takes no value (got ${quote(t.value)})`);
    }
  }
  const max = cmd.args?.max ?? 0;
  if (positionals.length > max) {
    const extra = positionals[max]!;
    const takes =
      max === 0
        ? `certwarden ${name} takes no arguments, only options`
        : `certwarden ${name} takes ${cmd.args!.name}${max === 1 ? '' : ' (at most ' + max + ')'}`;
    throw new UsageError(`unexpected argument ${quote(extra)}: ${takes}`);
  }
  return { values: values as Record<string, unknown>, positionals };
}
