import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { commandUsage, entriesOf, helpLanguage, USAGE_ENTRIES, usageText } from './usage';

const CJK = /[\u4e00-\u9fff]/;

describe('tuopin help in Chinese and in English, from one table', () => {
  it('gives every command a Chinese description that is not its English one', () => {
    expect(USAGE_ENTRIES.length).toBeGreaterThan(60);
    for (const u of USAGE_ENTRIES) {
      expect({ syntax: u.syntax[0], en: u.en.trim().length > 0 }).toEqual({ syntax: u.syntax[0], en: true });
      expect({ syntax: u.syntax[0], zh: u.zh }).toEqual({ syntax: u.syntax[0], zh: expect.stringMatching(CJK) });
      expect(u.zh).not.toBe(u.en);
    }
  });

  it('prints the same command lines in both, and in Chinese no English description', () => {
    const zh = usageText('zh');
    const en = usageText('en');
    for (const u of USAGE_ENTRIES) {
      for (const line of u.syntax) {
        expect(zh).toContain(line);
        expect(en).toContain(line);
      }
      for (const line of u.en.split('\n')) expect(zh).not.toContain(line);
      for (const line of u.zh.split('\n')) expect(en).not.toContain(line);
    }
  });

  it('follows the locale as command-line tools do (LC_ALL, then LC_MESSAGES, then LANG)', () => {
    expect(helpLanguage({})).toBe('en');
    expect(helpLanguage({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(helpLanguage({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_TW.UTF-8' })).toBe('zh');
    expect(helpLanguage({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' })).toBe('en');
    expect(helpLanguage({ LANG: 'zh_CN.UTF-8', LC_ALL: '' })).toBe('zh');
  });

  it('`tuopin help --zh` prints Chinese whatever the locale, and `--en` English', () => {
    const help = (arg: string, env: Record<string, string>): string =>
      execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'main.ts'), 'help', arg], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    expect(help('--zh', { LC_ALL: 'C' })).toBe(`${usageText('zh')}\n`);
    expect(help('--en', { LANG: 'zh_CN.UTF-8' })).toBe(`${usageText('en')}\n`);
  });
});

describe("a command called wrongly prints its lines of the help, in the help's language", () => {
  it('finds a command by its words, not by a longer word that starts the same', () => {
    expect(entriesOf('tuopin exit county').map((u) => u.syntax[0]!.split(/ +/)[3])).toEqual(['start', 'step', 'status']);
    expect(entriesOf('tuopin fund show').map((u) => u.syntax[0])).toEqual(['tuopin fund show       <fund id> [--json]']);
    expect(entriesOf('tuopin exit re').length).toBe(0);
  });

  it('renders them as the help does, with a note for what the table cannot hold', () => {
    expect(commandUsage('tuopin fund show', 'zh').split('\n')).toEqual([
      '用法：   (English: LANG=C, or tuopin help --en)',
      '  tuopin fund show       <fund id> [--json]   资金的账（来自其事件流）和读模型中的余额',
    ]);
    expect(commandUsage('tuopin projection rebuild', 'en', { en: '<name>: a|b', zh: '<name>：a|b' }).split('\n').slice(1)).toEqual([
      '  tuopin projection rebuild <name>   rebuild a read model from the store and swap it in (needs DATABASE_ADMIN_URL)',
      '  <name>: a|b',
    ]);
  });

  /** Each usageRefusal('…') a command throws names a command of the table: a renamed one would print an empty usage. */
  const dir = path.join(__dirname, 'commands');
  const named = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .flatMap((f) => [...readFileSync(path.join(dir, f), 'utf8').matchAll(/usageRefusal\('([^']+)'/g)].map((m) => m[1]!));
  it('finds the commands that refuse so (the scan itself works)', () => {
    expect(named).toEqual(expect.arrayContaining(['tuopin exit county', 'tuopin fund show', 'tuopin audit', 'tuopin report']));
  });
  it.each([...new Set(named)])('%s', (command) => {
    expect(entriesOf(command).length).toBeGreaterThan(0);
  });

  it('`tuopin exit county` without its verb: the usage in the locale, exit 64, before connecting to anything', () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'main.ts'), 'exit', 'county'], {
        // A Temporal nobody listens on: the usage must not wait for it.
        env: { PATH: process.env.PATH ?? '', TEMPORAL_ADDRESS: '127.0.0.1:9', ...env },
        encoding: 'utf8',
      });
    const zh = run({ LANG: 'zh_CN.UTF-8' });
    expect([zh.status, zh.stderr]).toEqual([64, `error [CLI_USAGE]: ${commandUsage('tuopin exit county', 'zh')}\n`]);
    expect(zh.stderr).toContain('启动贫困县退出');
    const en = run({ LANG: 'C' });
    expect([en.status, en.stderr]).toEqual([64, `error [CLI_USAGE]: ${commandUsage('tuopin exit county', 'en')}\n`]);
  });
});
