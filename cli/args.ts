import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { describeIssue } from '../domain/names/issue-text';

export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Parses `--flag value` options strictly (an unknown flag is an error) and then through a zod
 * schema whose keys are the flag names, so a bad value is reported as "--budget: …".
 */
export const parseFlags = <S extends z.ZodObject>(argv: string[], schema: S): z.output<S> => {
  const names = Object.keys(schema.shape);
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new CliError('CLI_INVALID_INPUT', (e as Error).message);
  }
  const r = schema.safeParse(values);
  if (!r.success) {
    // Each refused flag in English (`--budget: …`, first, as scripts read it) and in Chinese, as the API tells a refused field.
    const lines = r.error.issues.map((i) => {
      const t = describeIssue({ code: i.code, path: i.path.map((k) => (typeof k === 'number' ? k : String(k))), message: i.message, params: { ...i } });
      return `--${t.en}\n  ${t.zh}`;
    });
    throw new CliError('CLI_INVALID_INPUT', lines.join('\n'));
  }
  return r.data;
};

/** Takes a boolean `--name` switch out of argv, so the rest can go through parseFlags. */
export const takeSwitch = (argv: readonly string[], name: string): { on: boolean; rest: string[] } => ({
  on: argv.includes(`--${name}`),
  rest: argv.filter((a) => a !== `--${name}`),
});
