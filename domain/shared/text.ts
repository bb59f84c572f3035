import { z } from 'zod';

/**
 * The one rule for text that crosses a boundary (API body, CLI flag, Update argument) and may end
 * up in the store: well formed, printable, normalised and capped in length. PostgreSQL's jsonb
 * refuses NUL and lone surrogates, so text that reached a workflow with either froze the step that
 * tried to append it; bidi overrides and zero-width names make a record read differently from what
 * it holds; decomposed text makes two equal names differ byte for byte. All are refused here,
 * before anything is decided, with the rule that was broken.
 */

// Node ≥ 20 has String.prototype.isWellFormed; the ES2023 lib this project compiles against does not type it.
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL_ONE_LINE = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Embeddings, overrides, isolates and the invisible direction marks ("Trojan Source"). */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** U+FFFD is what a decoder puts where the bytes were not UTF-8; U+FFFE/U+FFFF are not characters. */
const NOT_TEXT = /[\uFFFD\uFFFE\uFFFF]/;
/** Something a reader can see: not only spaces, zero-width spaces, joiners or other format characters. */
const VISIBLE = /[^\s\p{Cf}]/u;

export interface TextRule {
  /** Allows line breaks and tabs (a summary, a finding); one-line text (a name, a number) refuses them. */
  lines?: boolean;
  /** Must hold at least one visible character (after trimming). */
  required?: boolean;
}

/** Why `s` is not acceptable text, or null. Pure and linear in the length of `s`. */
export const textProblem = (s: string, rule: TextRule = {}): string | null => {
  if (!wellFormed(s)) return 'must be well-formed Unicode (no lone UTF-16 surrogates)';
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if ((rule.lines ? CONTROL_MULTI_LINE : CONTROL_ONE_LINE).test(s)) {
    return rule.lines ? 'must not contain control characters (line breaks and tabs are allowed)' : 'must not contain control characters or line breaks';
  }
  if (BIDI.test(s)) return 'must not contain bidirectional override or isolate characters (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C)';
  if (NOT_TEXT.test(s)) return 'must not contain U+FFFD, U+FFFE or U+FFFF (invalid UTF-8 was sent)';
  if (s.normalize('NFC') !== s) return 'must be in Unicode normalisation form NFC';
  // Optional text may be empty, but not look empty while holding something (zero-width characters only).
  if ((rule.required || s !== '') && !VISIBLE.test(s)) return 'must not be empty (spaces and zero-width characters alone do not count)';
  return null;
};

/** True when `s` holds a lone surrogate or NUL: what jsonb cannot store, checked by canonical JSON. */
export const unstorable = (s: string): boolean => s.includes('\u0000') || !wellFormed(s);

/**
 * Free text as a zod string: the length cap first (and alone, for a huge string), then the rule.
 * `required` text is trimmed and needs a visible character; optional text may be empty.
 */
export const textSchema = (max: number, rule: TextRule = {}) => {
  const base = z.string().trim();
  return base.max(max, { error: `must be at most ${max} characters`, abort: true }).superRefine((s, ctx) => {
    const problem = textProblem(s, rule);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: s });
  });
};

/** One line a person must fill: a name, a document number, a reason. */
export const requiredLine = (max: number) => textSchema(max, { required: true });
/** Several lines a person must fill: a summary, a finding, a remediation. */
export const requiredText = (max: number) => textSchema(max, { required: true, lines: true });
/** Several lines a person may leave empty: an opinion, a note. */
export const optionalText = (max: number) => textSchema(max, { lines: true });
