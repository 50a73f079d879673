import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs` with errors turned into one-line usage errors that name the command.
 * Unknown flags are rejected; `--verbose` is accepted by every command (main reads it).
 */
export function parseCommandArgs<T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
  allowPositionals = true,
): ReturnType<typeof parseArgs<{ options: T & { verbose: { type: 'boolean' } }; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, verbose: { type: 'boolean' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw usageError(`${command}: ${message.replace(/\.$/, '')} (see \`leakfinder ${command} --help\`).`);
  }
}

/** Parses a whole-number flag value with a range, e.g. `--requests 2000`. */
export function parseIntegerFlag(name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw usageError(`\`--${name}\` must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`);
  }
  return parsed;
}
