// The spec reads the sources to find every rule a schema states in English; the code it checks stays free of I/O.
// eslint-disable-next-line no-restricted-imports
import { readdirSync, readFileSync, statSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports
import { join } from 'node:path';
import { describeIssue } from './issue-text';
import { textProblem } from '../shared/text';

const ROOTS = ['domain', 'api', 'workflows', 'services', 'cli', 'infra'];
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'node_modules' ? [] : sources(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });

/** `{ error: 'must …' }` as written in a schema, with where it is. */
const statedRules = (): { rule: string; at: string }[] =>
  ROOTS.flatMap((r) => sources(join(__dirname, '..', '..', r))).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/\berror: '((?:[^'\\]|\\.)+)'/g)].map((m) => ({ rule: m[1]!.replace(/\\'/g, "'"), at: f })),
  );

/**
 * Issue 17 point 7 and the reviews' "Chinese wherever a person reads": a rule a schema states in English
 * reaches an official as Chinese, not as `格式不符（must be …）` with the English inside.
 */
describe('every rule a schema states is told in Chinese', () => {
  const rules = statedRules();
  it('finds the rules (the scan itself works)', () => {
    expect(rules.length).toBeGreaterThan(50);
    expect(rules.map((r) => r.rule)).toContain('must be a date YYYY-MM-DD');
  });
  it.each(rules.map((r) => [r.rule, r.at]))('%s (%s)', (rule) => {
    for (const code of ['invalid_format', 'custom', 'too_small', 'too_big']) {
      const t = describeIssue({ code, path: ['x'], message: rule }, 'body');
      expect(t.zh).not.toContain(rule);
      expect(t.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });
  it('a rule built from a list names each value in Chinese where it has a name', () => {
    const t = describeIssue({ code: 'custom', path: ['countyId'], message: "must be one of the plan's 13 counties: song, luanchuan" }, 'body');
    expect(t.zh).toContain('须为以下之一：song（嵩县）、luanchuan（栾川县）');
  });
  it('every problem the text rule finds (requiredLine, optionalText…) is told in Chinese', () => {
    const problems = [
      textProblem('\uD800'),
      textProblem('a\u0000'),
      textProblem('a\u0007'),
      textProblem('a\u0007', { lines: true }),
      textProblem('a\u202Eb'),
      textProblem('a\uFFFD'),
      textProblem('e\u0301'),
      textProblem('\u200B', { required: true }),
    ];
    expect(new Set(problems).size).toBe(problems.length);
    for (const rule of problems) {
      const t = describeIssue({ code: 'custom', path: ['name'], message: rule! }, 'body');
      expect({ rule, zh: t.zh }).toEqual({ rule, zh: expect.not.stringContaining(rule!) });
      expect(t.zh).toMatch(/^“项目名称”（body\.name）：\P{Script=Latin}*\p{Script=Han}/u);
    }
  });
});
