import { fingerprintOf, keyReused } from './idempotency';
import { ApiError } from '../errors';

describe('an idempotency key names one request', () => {
  const body = { fundId: 'fund-song-2016-a1', amount: 630_000, reason: '审计整改' };

  it('the same request gives the same fingerprint whatever the key order and the request id', () => {
    const a = fingerprintOf('POST', '/funds/:id/returns', { id: 'fund-song-2016-a1' }, body);
    const b = fingerprintOf('POST', '/funds/:id/returns', { id: 'fund-song-2016-a1' }, { reason: '审计整改', requestId: 'r-1', amount: 630_000, fundId: 'fund-song-2016-a1' });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it("the router's params object (not a plain object) counts by its entries", () => {
    class Params {
      id = 'fund-song-2016-a1';
    }
    expect(fingerprintOf('POST', '/funds/:id/returns', new Params(), body)).toBe(fingerprintOf('POST', '/funds/:id/returns', { id: 'fund-song-2016-a1' }, body));
  });

  it('a different body, route, path parameter or method is a different request', () => {
    const a = fingerprintOf('POST', '/funds/:id/returns', { id: 'fund-song-2016-a1' }, body);
    expect(fingerprintOf('POST', '/funds/:id/returns', { id: 'fund-song-2016-a1' }, { ...body, amount: 630_001 })).not.toBe(a);
    expect(fingerprintOf('POST', '/funds/:id/freeze', { id: 'fund-song-2016-a1' }, body)).not.toBe(a);
    expect(fingerprintOf('POST', '/funds/:id/returns', { id: 'fund-song-2016-a2' }, body)).not.toBe(a);
    expect(fingerprintOf('PUT', '/funds/:id/returns', { id: 'fund-song-2016-a1' }, body)).not.toBe(a);
  });

  it('a body JSON cannot carry exactly is refused as bad input (400), not a server error', () => {
    expect(() => fingerprintOf('POST', '/funds', {}, { reason: 'a\u0000b' })).toThrow(expect.objectContaining({ statusCode: 400, code: 'INVALID_INPUT' }) as ApiError);
  });

  it('a reused key is refused 422 naming the key in both languages', () => {
    const e = keyReused('k-1', '/funds/:id/freeze', new Date('2026-11-29T10:00:00Z'));
    expect(e).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED', details: { key: 'k-1' } });
    expect(e.zh).toContain('k-1');
    expect(e.en).toContain('k-1');
  });
});
