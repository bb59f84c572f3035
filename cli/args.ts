import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { describeIssue, inputIssueOf } from '../domain/names/issue-text';
import { commandUsage, helpLanguage } from './usage';

export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** One refused value, as zod reports it (or as a command states it: its own rule, in both languages). */
interface RefusedValue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The actor's fields as the flags that set them: a refused userId is told as --as. */
export const ACTOR_FLAGS: Readonly<Record<string, string>> = { userId: 'as', role: 'role', countyId: 'county' };

/** Flags that fill a field the domain keys otherwise (--as is the actor's userId); any other flag is its field in camelCase. */
const FLAG_FIELDS: Readonly<Record<string, string>> = {
  as: 'userId',
  user: 'userId',
  allocation: 'allocationId',
  complaint: 'complaintId',
  document: 'documentNumber',
  number: 'accountNumber',
  payment: 'paymentId',
  programme: 'programmeId',
  record: 'recordRef',
  round: 'roundId',
  step: 'type',
  subsidy: 'subsidyBases',
  township: 'townshipId',
  village: 'villageId',
  villages: 'villageIds',
};

const camel = (words: string): string => words.replace(/[- ]+([a-z])/g, (_, c: string) => c.toUpperCase());

/** The field whose Chinese label names what a flag (`adopted-on`) or a positional (`<fund id>`) holds. */
export const fieldOfName = (name: string): string => (name.startsWith('<') ? camel(name.slice(1, -1)) : (FLAG_FIELDS[name] ?? camel(name)));

/**
 * Where the checked value came from, as the person typed it: nothing for flags checked by their own
 * names (parseFlags); a flag's name for the JSON it holds (`data`: --data.opinion); a positional
 * (`<fund id>`); or, for an object built from several flags, its keys (or dotted paths) → the flags
 * that set them (ACTOR_FLAGS).
 */
export type InputSource = string | Readonly<Record<string, string>>;

const startsWith = (path: readonly string[], key: string): boolean => key.split('.').every((k, n) => path[n] === k);

/** How the person named the value (`data.opinion`, `as`, `<fund id>`), and the path whose last key labels it in Chinese. */
const located = (path: readonly (string | number)[], from: InputSource | undefined): { named: string; label: readonly (string | number)[] } => {
  const rest = path.map(String);
  if (from === undefined) return { named: rest.join('.'), label: path.length > 0 ? [fieldOfName(rest[0]!), ...path.slice(1)] : [] };
  if (typeof from === 'string') return { named: [from, ...rest].join('.'), label: [fieldOfName(from), ...path] };
  const key = Object.keys(from)
    .filter((k) => startsWith(rest, k))
    .sort((a, b) => b.split('.').length - a.split('.').length)[0];
  if (key === undefined) return { named: rest.join('.') || Object.values(from).join('/'), label: path };
  return { named: [from[key]!, ...rest.slice(key.split('.').length)].join('.'), label: path };
};

/**
 * The CLI's one way to refuse input, as the API tells a refused field (describeIssue): each value in
 * English first (`--year: Too small…`, `<fund id>: must look like…`; scripts read the first line),
 * then under it in Chinese with the field's label (`“年度”（year）：不得小于 2016`).
 */
export const inputRefusal = (error: { readonly issues: readonly RefusedValue[] }, from?: InputSource): CliError =>
  new CliError(
    'CLI_INVALID_INPUT',
    error.issues
      .map((i) => {
        const issue = inputIssueOf(i);
        const { named, label } = located(issue.path, from);
        const t = describeIssue({ ...issue, path: label }, undefined, named);
        return `${named.startsWith('<') ? '' : '--'}${t.en}\n  ${t.zh}`;
      })
      .join('\n'),
  );

/** A value a command refuses by its own rule (not JSON, no such file), told as inputRefusal tells a zod issue. */
export const valueRefusal = (from: string, en: string, zh: string): CliError => inputRefusal({ issues: [{ code: 'custom', path: [], message: en, zh } as RefusedValue] }, from);

/**
 * A refusal not of one value but by a rule or for a thing that is not there (a domain decision, a
 * workflow's refusal, no such fund): its code, the English line, then the Chinese.
 */
export const ruleRefusal = (r: { readonly code: string; readonly en: string; readonly zh: string }): CliError => new CliError(r.code, `${r.en}\n${r.zh}`);

/**
 * A command called wrongly (no such verb, a positional missing): its lines of `tuopin help`, from the
 * same table and in the same language (the locale's), so each command's usage is written once.
 */
export const usageRefusal = (command: string, note?: { readonly en: string; readonly zh: string }): CliError =>
  new CliError('CLI_USAGE', commandUsage(command, helpLanguage(process.env), note));

/** node:util parseArgs' refusals, in Chinese: it names the option in its English. */
const PARSE_ARGS_ZH: Readonly<Record<string, string>> = {
  ERR_PARSE_ARGS_UNKNOWN_OPTION: '不认识的选项',
  ERR_PARSE_ARGS_INVALID_OPTION_VALUE: '选项缺少取值',
  ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL: '多余的参数',
};

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
    const { message, code } = e as Error & { code?: string };
    const zh = PARSE_ARGS_ZH[code ?? ''];
    const what = /'([^' ]+)/.exec(message)?.[1];
    throw new CliError('CLI_INVALID_INPUT', zh ? `${message}\n  ${zh}${what ? `：${what}` : ''}（tuopin help 列出各命令的选项）` : message);
  }
  const r = schema.safeParse(values);
  if (!r.success) throw inputRefusal(r.error);
  return r.data;
};

/** Takes a boolean `--name` switch out of argv, so the rest can go through parseFlags. */
export const takeSwitch = (argv: readonly string[], name: string): { on: boolean; rest: string[] } => ({
  on: argv.includes(`--${name}`),
  rest: argv.filter((a) => a !== `--${name}`),
});
