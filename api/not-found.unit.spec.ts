import { ProcessNotFound } from '../services/errors';
import { ApiError, notFound, toApiError, type NotFoundNoun } from './errors';

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

describe('a missing process answers 404 naming what the person looked for', () => {
  it('a project by its id, not its workflow', () => {
    const e = toApiError(new ProcessNotFound('project-prj-song-2016-0999', 'PROJECT_NOT_FOUND')) as ApiError;
    expect([e.statusCode, e.code, e.zh, e.en]).toEqual([
      404,
      'PROJECT_NOT_FOUND',
      '项目 prj-song-2016-0999 不存在或已结束',
      'no project prj-song-2016-0999 (it does not exist or has ended)',
    ]);
  });
  it('any other process by its workflow id', () => {
    const e = toApiError(new ProcessNotFound('identification-vil-song-0001-2018')) as ApiError;
    expect([e.statusCode, e.code, e.zh, e.en]).toEqual([
      404,
      'PROCESS_NOT_FOUND',
      '该办理流程不存在：identification-vil-song-0001-2018',
      'no process identification-vil-song-0001-2018',
    ]);
  });
});
