import Fastify, { type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import { config } from '../infra/config';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { developmentTokenKeys } from '../infra/tokens/token-keys';
import { issueToken } from '../infra/tokens/tokens';
import { apiApp } from './app';
import { apiDepsOf } from './deps';
import { PUBLIC_COMPLAINT_LOOKUPS_PER_HOUR } from './routes/complaints';

// Building the API plugin (OpenAPI, helmet, routes) takes seconds on a loaded machine.
jest.setTimeout(60_000);

/** GET /standards reads reference data only: the token check (revocations) is the one database read, and Temporal is never asked. */
describe('per-user rate limits on the API', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const bearer = async (userId: string) => ({ authorization: `Bearer ${(await issueToken(developmentTokenKeys(), { userId, role: 'inspector' }, 600)).token}` });
  beforeAll(async () => {
    t = await createTestDatabase('ratelimit');
    app = Fastify({ logger: false });
    await app.register(apiApp(apiDepsOf(config(), { client: {} as Client, db: t.appDb }, { rateLimitPerMinute: 3 })));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('answers 429 RATE_LIMITED in zh and en once a user passes the limit; another user is not affected', async () => {
    const a = await bearer('insp.a');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: 'GET', url: '/standards', headers: a })).statusCode);
    expect(statuses).toEqual([200, 200, 200]);
    const over = await app.inject({ method: 'GET', url: '/standards', headers: a });
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({
      code: 'RATE_LIMITED',
      zh: expect.stringContaining('请求过于频繁'),
      en: expect.stringContaining('too many requests'),
      details: { limitPerMinute: 3 },
    });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // The limit is the user's, not the address's: a second official from the same address goes on.
    expect((await app.inject({ method: 'GET', url: '/standards', headers: await bearer('insp.b') })).statusCode).toBe(200);
  });

  it('limits the open complaint form per address (5 an hour), in zh and en, with no token involved', async () => {
    // A subject the store does not hold: each is refused before Temporal is asked, and each counts.
    const post = () =>
      app.inject({
        method: 'POST',
        url: '/public/complaints',
        remoteAddress: '10.0.0.7',
        payload: { subject: { kind: 'household', householdId: 'hh-song-nobody01' }, category: 'other', summary: '反映问题' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post()).statusCode);
    expect(statuses).toEqual([409, 409, 409, 409, 409]);
    const over = await post();
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ code: 'RATE_LIMITED', zh: expect.stringContaining('12317'), details: { limitPerHour: 5 } });
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/public/complaints',
      remoteAddress: '10.0.0.8',
      payload: { subject: { kind: 'household', householdId: 'hh-song-nobody01' }, category: 'other', summary: '反映问题' },
    });
    expect(elsewhere.statusCode).toBe(409);
    // Looking a complaint up has its own allowance: an address that may file no more may still look.
    const look = () => app.inject({ method: 'GET', url: '/public/complaints/cp-song-20190301ffffffffffffffff', remoteAddress: '10.0.0.7' });
    expect((await look()).statusCode).toBe(404);
  });

  it('limits look-ups of a complaint by id per address (60 an hour): guessing ids gets nowhere', async () => {
    const look = () => app.inject({ method: 'GET', url: '/public/complaints/cp-song-20190301ffffffffffffffff', remoteAddress: '10.0.0.9' });
    const statuses = new Set<number>();
    for (let i = 0; i < PUBLIC_COMPLAINT_LOOKUPS_PER_HOUR; i++) statuses.add((await look()).statusCode);
    expect([...statuses]).toEqual([404]);
    const over = await look();
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ code: 'RATE_LIMITED', zh: expect.stringContaining('查询过于频繁'), details: { limitPerHour: PUBLIC_COMPLAINT_LOOKUPS_PER_HOUR } });
  });

  it('is configurable (API_RATE_LIMIT_PER_MINUTE, 600 when unset)', () => {
    expect(apiDepsOf(config(), { client: {} as Client, db: t.appDb }).rateLimitPerMinute).toBe(config().API_RATE_LIMIT_PER_MINUTE);
    expect(apiDepsOf({ ...config(), API_RATE_LIMIT_PER_MINUTE: 42 }, { client: {} as Client, db: t.appDb }).rateLimitPerMinute).toBe(42);
  });
});
