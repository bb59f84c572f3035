import { notFound, type NotFoundNoun } from './errors';

const NOUNS: NotFoundNoun[] = [
  'project',
  'complaint',
  'benefit-round',
  'integration-plan',
  'fund',
  'household',
  'payment',
  'round',
  'identification-round',
  'exit-round',
  'village-exit',
  'county-exit',
  'return-review',
];

describe('a 404 names what was not found in each language', () => {
  it('a fund: 未找到资金 in Chinese, "no fund" in English', () => {
    const e = notFound('fund', 'fund-song-2018-a1');
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('NOT_FOUND');
    expect(e.zh).toBe('未找到资金：fund-song-2018-a1');
    expect(e.en).toBe('no fund fund-song-2018-a1');
  });
  it.each(NOUNS)('%s: the English text carries no Chinese and the Chinese no English noun', (n) => {
    const e = notFound(n, 'x-1');
    expect(e.en).not.toMatch(/[\u4e00-\u9fff]/);
    expect(e.zh.replace('x-1', '')).not.toMatch(/[a-z]/i);
  });
});
