import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { helpLanguage, USAGE_ENTRIES, usageText } from './usage';

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
