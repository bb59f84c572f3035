import { parseScale, ScaleError, type SimScale } from '../sim/scale';
import { CliError, valueRefusal } from './args';
import { helpLanguage, renderUsage, type UsageEntry } from './usage';

/**
 * The flags of a run script (`npm run demo`, `npm run chaos`): its usage line, then each flag with
 * what it does in the locale's language, rendered as `tuopin help` renders its table.
 */
export const scriptUsage = (line: string, flags: readonly UsageEntry[]): string => `${line}\n${renderUsage(flags, helpLanguage(process.env))}`;

/**
 * Reads a run script's `--name value` (or `--name=value`) flags, those its table lists; an unknown
 * one is refused as the CLI refuses one, English first, then Chinese, then the usage.
 */
export const readFlags = (args: readonly string[], flags: readonly UsageEntry[], usage: string): ((name: string) => string | undefined) => {
  const known = new Set(flags.map((f) => f.syntax[0]!.trim()));
  const unknown = args.filter((a, i) => a.startsWith('--') && !known.has(a.split('=')[0]!) && !(i > 0 && known.has(args[i - 1]!)));
  if (unknown.length > 0) throw new CliError('CLI_USAGE', `unknown flag ${unknown.join(' ')}\n  不认识的选项：${unknown.join(' ')}\n${usage}`);
  return (name) => {
    const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    const a = args[i]!;
    return a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
  };
};

/** --scale's value, refused as a flag's value is (its label, both languages). */
export const scaleFlag = (text: string): SimScale => {
  try {
    return parseScale(text);
  } catch (e) {
    throw e instanceof ScaleError ? valueRefusal('scale', e.en, e.zh) : e;
  }
};

/** A whole-number flag within bounds, or its default when absent. */
export const wholeFlag = (text: string | undefined, name: string, dflt: number, min: number, max: number): number => {
  const v = text === undefined ? dflt : Number(text);
  if (!Number.isInteger(v) || v < min || v > max) throw valueRefusal(name, `"${text}" must be a whole number from ${min} to ${max}`, `“${text}”须为 ${min} 至 ${max} 之间的整数`);
  return v;
};
