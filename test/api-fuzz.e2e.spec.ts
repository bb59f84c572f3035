import fc from 'fast-check';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import type { Actor } from '../domain/shared/actor';
import { issueToken } from '../infra/tokens/tokens';
import type { TokenKeys } from '../infra/tokens/token-keys';
import { developmentTokenKeys, otherKeys } from './support/token-keys';
import { PROJECTIONS } from '../infra/projections/all';
import { projectorLag } from '../infra/projections/lag';
import { startTestApi, type TestApi } from './support/api';
import { startTestStack, type TestStack } from './support/stack';
import { until } from './support/until';
import { FINANCE, newProjectId, PROPOSER, startProject } from './support/project-walk';
import { projectWorkflowId, type ProjectLifecycleInput } from '../workflows/project-lifecycle.messages';
import { projectLifecycle } from '../workflows/project-lifecycle';

jest.setTimeout(600_000);

const HAN = /\p{Script=Han}/u;

/** Reproducible: a failure names the seed; TUOPIN_FUZZ_SEED runs that one again. */
const SEED = Number(process.env.TUOPIN_FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Requests per route and kind below; with the API's 40-odd routes this is well over 3,000. */
const PER_ROUTE = { refused: 100, inScope: 40, get: 100 } as const;

/** A JSON Schema as @fastify/swagger writes the zod schemas into /docs/json. */
interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  $ref?: string;
}
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: Schema;
}
interface Route {
  readonly method: 'GET' | 'POST';
  /** Fastify's form: /projects/:id/steps. */
  readonly url: string;
  readonly params: Parameter[];
  readonly body?: Schema;
  readonly bodyTypes: string[];
}

/** Mostly the county the tokens serve, sometimes another: ids name their county, and the schemas check it is one of the plan's. */
const COUNTY = fc.constantFrom('song', 'song', 'song', 'luanchuan');
const inCounty = (id: string, county: string): string => id.replace(/^(prj|fund|hh|vil)-[a-z]+(?=-)/, `$1-${county}`);

/** Values the schema accepts, or nearly: patterns through fast-check's regex generator, sizes kept small. */
const valid = (s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => {
  if (!s || depth > 6) return fc.anything({ maxDepth: 1 });
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union) return fc.oneof(...union.map((u) => valid(u, depth + 1)));
  if (s.allOf?.length) return valid(s.allOf[0], depth + 1);
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((t) => valid({ ...s, type: t }, depth + 1)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1_000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : Math.max(min, 0) + 1_000_000);
      return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case 'string': {
      if (s.format === 'date-time') return fc.date({ min: new Date('2016-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      if (s.format === 'date') return fc.date({ min: new Date('2016-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      const minLength = s.minLength ?? 0;
      const maxLength = Math.min(s.maxLength ?? 24, Math.max(minLength, 24));
      if (s.pattern) {
        try {
          return fc
            .tuple(fc.stringMatching(new RegExp(s.pattern)), COUNTY)
            .map(([v, county]) => inCounty(v, county))
            .filter((v) => v.length >= minLength && v.length <= (s.maxLength ?? 10_000) && new RegExp(s.pattern!).test(v));
        } catch {
          // A pattern fast-check cannot generate from: any string of the right size.
        }
      }
      return fc.string({ minLength, maxLength, unit: 'grapheme' });
    }
    case 'array':
      return fc.array(valid(s.items, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) });
    case 'object': {
      const props = s.properties ?? {};
      const required = s.required ?? [];
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v, depth + 1)])), { requiredKeys: required.filter((k) => k in props) });
    }
    default:
      return fc.anything({ maxDepth: 1 });
  }
};

/** A body that is valid but for one field: replaced by anything, dropped, or joined by one the schema does not know. */
const nearlyValid = (s: Schema): fc.Arbitrary<unknown> =>
  valid(s).chain((v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return fc.constant(v);
    const keys = [...Object.keys(s.properties ?? {}), 'requestId', 'extra', '__proto__', 'constructor'];
    return fc.record({ key: fc.constantFrom(...keys), how: fc.constantFrom('replace', 'drop', 'replace'), value: fc.anything() }).map(({ key, how, value }) => {
      const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      if (how === 'drop') delete copy[key];
      else Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
      return copy;
    });
  });

/** A route's body schema when every object in it refuses unknown keys: one more key then makes it invalid by construction. */
const strictObject = (s: Schema | undefined): boolean => {
  if (!s) return false;
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.every(strictObject);
  return s.type === 'object' && s.additionalProperties === false;
};

/** Strings a path segment, query value or header may be: random, hostile, huge. */
const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 40, unit: 'grapheme' }),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../../etc/passwd',
    '%',
    '%00',
    '%zz',
    'null',
    'undefined',
    '0',
    '-1',
    '1e309',
    'NaN',
    '[]',
    '{}',
    '__proto__',
    'constructor',
    "' OR 1=1 --",
    '嵩县',
    'prj-song-2016-',
    'fund-song-2016-x:p1',
  ),
  fc.string({ minLength: 1, maxLength: 3 }).map((s) => s.repeat(2_000)),
);

/** Printable ASCII: what an HTTP header can carry at all (inject itself throws on a newline). */
const headerSafe = (s: string): string => s.replace(/[^\x20-\x7e]/g, '');

const toFastifyUrl = (openApiPath: string): string => openApiPath.replace(/\{(\w+)\}/g, ':$1');

describe('fuzz: thousands of random and malformed requests across every endpoint get no 5xx and change nothing', () => {
  let stack: TestStack;
  let api: TestApi;
  let routes: Route[];
  const real = { fund: 'fund-song-2016-fuzz', project: '' };

  beforeAll(async () => {
    stack = await startTestStack('api-fuzz');
    api = await startTestApi(stack);
    // Something to read: a fund and a project, so plausible ids find rows and read models are not empty.
    const f = await api.app.inject({
      method: 'POST',
      url: '/funds',
      headers: await api.bearer(FINANCE),
      payload: { fundId: real.fund, source: 'central', fiscalYear: 2016, countyId: 'song', documentNumber: '财农〔2016〕9号', amount: '100万', earmark: ['transport'] },
    });
    expect(f.statusCode).toBe(201);
    real.project = (await startProject(stack)).workflowId.replace(/^project-/, '');
    await until(
      'the project and the fund in their read models',
      () =>
        Promise.all([
          stack.db.appDb.selectFrom('project_summary').select('project_id').where('project_id', '=', real.project).executeTakeFirst(),
          stack.db.appDb.selectFrom('fund_balances').select('fund_id').where('fund_id', '=', real.fund).executeTakeFirst(),
        ]),
      { ok: ([p, b]) => p !== undefined && b !== undefined, intervalMs: 100 },
    );
    // The routes, from the app itself: its OpenAPI document lists every route with its parameters and body schema.
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
    }>();
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => m === 'get' || m === 'post')
        .map(([m, op]) => {
          const content = op.requestBody?.content ?? {};
          return {
            method: m.toUpperCase() as 'GET' | 'POST',
            url: toFastifyUrl(path),
            params: op.parameters ?? [],
            body: Object.values(content)[0]?.schema,
            bodyTypes: Object.keys(content),
          };
        }),
    );
  });
  afterAll(async () => {
    await api?.app.close();
    await stack?.stop();
  });

  /** Every read model's rows, hashed, and the store's size: what a refused request must leave as it was. */
  const snapshot = async () => {
    const tables: Record<string, string> = {};
    for (const p of PROJECTIONS) {
      const { rows } = await sql<{ h: string | null; n: string }>`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS h, count(*) AS n FROM ${sql.table(p.table)} t`.execute(
        stack.db.appDb,
      );
      tables[p.table] = `${rows[0]!.n}:${rows[0]!.h ?? ''}`;
    }
    return { events: await api.eventCount(), tables };
  };

  it('covers every route the app has, from its own OpenAPI document', () => {
    const listed = new Set(routes.map((r) => `${r.method} ${r.url}`));
    // What Fastify itself routes (printRoutes lists every method and path); the docs' own pages aside.
    const printed = api.app.printRoutes({ commonPrefix: false, includeMeta: false });
    for (const r of routes) expect(printed).toContain(r.url.split('/').filter(Boolean).at(-1)!);
    expect(routes.length).toBeGreaterThanOrEqual(30);
    for (const must of [
      'GET /projects',
      'POST /projects/:id/steps',
      'GET /audit/:kind/:id',
      'POST /registry/imports',
      'POST /return-reviews/:householdId/:year/steps',
      'GET /anomalies',
    ])
      expect(listed).toContain(must);
  });

  it('sends them: random, malformed, nearly valid, oversized, with odd queries and headers; an auditor is refused 403, an in-scope official 4xx', async () => {
    // Every read model caught up with the store: a sleep here was a guess, and a model still applying the fixtures'
    // events would change between the two snapshots.
    await until('every read model caught up with the store', () => Promise.all(PROJECTIONS.map((p) => projectorLag(stack.db.appDb, p))), {
      ok: (lags) => lags.every((n) => n === 0),
      intervalMs: 100,
    });
    const before = await snapshot();
    const keys = developmentTokenKeys();
    const auditor: Actor = { userId: 'audit.fuzz', role: 'auditor' };
    const token = async (k: TokenKeys, a: Actor, ttl: number, at?: Date) => (await issueToken(k, a, ttl, at)).token;
    const tokens = {
      auditor: await token(keys, auditor, 3600),
      official: await token(keys, PROPOSER, 3600),
      finance: await token(keys, FINANCE, 3600),
      elsewhere: await token(keys, { userId: 'off.luanchuan', role: 'county-official', countyId: 'luanchuan' }, 3600),
      expired: await token(keys, auditor, 1, new Date(Date.now() - 3_600_000)),
      forged: await token(otherKeys(), auditor, 3600),
      // Signed with the right key, claims that are no actor.
      godRole: await new SignJWT({ role: 'god' })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'dev' })
        .setSubject('x.y')
        .setIssuer('tuopin')
        .setAudience('tuopin-api')
        .setIssuedAt()
        .setExpirationTime('1h')
        .setJti('fuzz-god-1')
        .sign(keys.signing!.key),
      // The old shared-secret kind: HS256 under the development key's id.
      hs256: await new SignJWT({ role: 'auditor' })
        .setProtectedHeader({ alg: 'HS256', kid: 'dev' })
        .setSubject('audit.fuzz')
        .setIssuer('tuopin')
        .setAudience('tuopin-api')
        .setIssuedAt()
        .setExpirationTime('1h')
        .setJti('fuzz-hs-1')
        .sign(new TextEncoder().encode('tuopin-dev-api-jwt-secret-not-for-production')),
      system: await new SignJWT({ role: 'administrator' })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'dev' })
        .setSubject('system.deadlines')
        .setIssuer('tuopin')
        .setAudience('tuopin-api')
        .setIssuedAt()
        .setExpirationTime('1h')
        .setJti('fuzz-sys-1')
        .sign(keys.signing!.key),
      noneAlg: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'audit.fuzz', role: 'auditor', iss: 'tuopin', aud: 'tuopin-api', exp: 9_999_999_999 })).toString('base64url')}.`,
    };
    // Malformed bearer tokens beside the auditor's own: most requests carry the auditor's, so they reach validation and the gate.
    const auditorAuth = fc.oneof(
      { weight: 8, arbitrary: fc.constant(`Bearer ${tokens.auditor}`) },
      {
        weight: 2,
        arbitrary: fc.oneof(
          fc.constantFrom(
            '',
            'Bearer',
            'Bearer ',
            'bearer ' + tokens.auditor,
            `Bearer ${tokens.auditor}x`,
            `Bearer ${tokens.auditor} ${tokens.auditor}`,
            `Bearer ${tokens.expired}`,
            `Bearer ${tokens.forged}`,
            `Bearer ${tokens.godRole}`,
            `Bearer ${tokens.hs256}`,
            `Bearer ${tokens.system}`,
            `Bearer ${tokens.noneAlg}`,
            'Basic dXNlcjpwYXNz',
            'Bearer a.b.c',
            `Bearer ${'A'.repeat(20_000)}`,
          ),
          junk.map((s) => `Bearer ${headerSafe(s)}`),
          fc.tuple(fc.base64String({ maxLength: 60 }), fc.base64String({ maxLength: 200 }), fc.base64String({ maxLength: 60 })).map((p) => `Bearer ${p.join('.')}`),
        ),
      },
    );

    /** Ids for a path parameter: from its schema (plausible), real ones, other counties', and junk. */
    const paramValue = (p: Parameter, forPost: boolean): fc.Arbitrary<string> => {
      const reals = [
        real.fund,
        `${real.project}:p1`,
        'hh-song-fuzz01',
        'vil-song-fuzz01',
        'fund',
        'project',
        'household',
        'payment',
        'song',
        '2016',
        ...(forPost ? [] : [real.project]),
      ];
      return fc.oneof(
        { weight: 8, arbitrary: valid(p.schema).map(String) },
        { weight: 1, arbitrary: fc.constantFrom(...reals) },
        { weight: 1, arbitrary: fc.constantFrom('prj-luanchuan-2016-abcd', 'fund-luanchuan-2016-xx', 'hh-luanchuan-1', 'luanchuan', 'vil-luanchuan-001-001') },
        { weight: 3, arbitrary: junk },
      );
    };
    const queryOf = (r: Route): fc.Arbitrary<string> => {
      const known = r.params.filter((p) => p.in === 'query');
      const pair = fc.oneof(
        ...(known.length ? [known.map((p) => fc.tuple(fc.constant(p.name), fc.oneof(valid(p.schema).map(String), junk)))].flat() : []),
        fc.tuple(fc.oneof(fc.constantFrom('limit', 'after', 'county', 'format', 'x', '__proto__', 'constructor', 'nextRole'), junk), junk),
      );
      const plausible = known.length
        ? fc.subarray(known).chain((ps) => fc.tuple(...ps.map((p) => fc.tuple(fc.constant(p.name), valid(p.schema).map(String)))))
        : fc.constant([] as [string, string][]);
      // Mostly none or plausible ones, so bodies are judged too; a random query string otherwise.
      return fc
        .oneof({ weight: 2, arbitrary: fc.constant([] as [string, string][]) }, { weight: 2, arbitrary: plausible }, { weight: 2, arbitrary: fc.array(pair, { maxLength: 5 }) })
        .map((ps) => (ps.length ? `?${ps.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : ''));
    };
    const urlOf = (r: Route, forPost: boolean): fc.Arbitrary<string> => {
      const names = [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const byName = new Map(r.params.filter((p) => p.in === 'path').map((p) => [p.name, p]));
      return fc
        .tuple(fc.tuple(...names.map((n) => paramValue(byName.get(n) ?? { in: 'path', name: n }, forPost))), queryOf(r))
        .map(([vals, q]) => names.reduce((u, n, i) => u.replace(`:${n}`, encodeURIComponent(vals[i]!)), r.url) + q);
    };
    const extraHeaders = fc.dictionary(
      fc.oneof(fc.constantFrom('idempotency-key', 'x-request-id', 'accept', 'accept-encoding', 'content-encoding', 'x-forwarded-for'), fc.stringMatching(/^x-[a-z]{1,10}$/)),
      junk.map(headerSafe),
      { maxKeys: 3 },
    );

    interface Req {
      method: 'GET' | 'POST' | 'HEAD' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';
      url: string;
      headers: Record<string, string>;
      payload?: string | Buffer;
      kind: string;
    }
    const ONE_MIB = 1024 * 1024;
    /** Bodies of every sort for a route, sent as the auditor (or with a malformed token). */
    const refusedBody = (r: Route): fc.Arbitrary<{ payload: string | Buffer; type: string; kind: string }> => {
      const json = (kind: string, a: fc.Arbitrary<unknown>) => a.map((v) => ({ payload: JSON.stringify(v) ?? 'null', type: 'application/json', kind }));
      const schema = r.body ?? {};
      return fc.oneof(
        { weight: 3, arbitrary: json('nearly-valid', nearlyValid(schema)) },
        { weight: 2, arbitrary: json('valid-shaped', valid(schema)) },
        { weight: 2, arbitrary: json('random', fc.anything()) },
        { weight: 1, arbitrary: fc.json().map((payload) => ({ payload, type: 'application/json', kind: 'random-json' })) },
        {
          weight: 2,
          arbitrary: valid(schema).chain((v) =>
            fc.nat().map((n) => {
              const s = JSON.stringify(v) ?? '{';
              return { payload: s.slice(0, n % Math.max(1, s.length)), type: 'application/json', kind: 'malformed-json' };
            }),
          ),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(
              fc.constantFrom(
                'text/plain',
                'application/xml',
                'multipart/form-data; boundary=x',
                'application/x-www-form-urlencoded',
                'text/csv',
                'application/json; charset=latin1',
                'application/jsonx',
                '',
              ),
              fc.string({ maxLength: 200 }),
            )
            .map(([type, payload]) => ({ payload, type, kind: 'content-type' })),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom('big-body', 'big-field').map((k) => ({
            payload: k === 'big-body' ? Buffer.alloc(ONE_MIB + 10, 0x61) : JSON.stringify({ name: '路'.repeat(300_000), reason: 'x'.repeat(50_000) }),
            type: 'application/json',
            kind: 'oversized',
          })),
        },
      );
    };
    /** Invalid by construction for an official of the county: refused by the schema before any handler runs. */
    const invalidBody = (r: Route): fc.Arbitrary<{ payload: string | Buffer; type: string; kind: string }> => {
      const schema = r.body ?? {};
      const stringBody = r.body?.type === 'string';
      const options: fc.Arbitrary<{ payload: string | Buffer; type: string; kind: string }>[] = [
        fc.constantFrom('application/xml', 'text/plain', 'application/x-www-form-urlencoded').map((type) => ({ payload: '<x/>', type, kind: 'in-scope-content-type' })),
        fc.constant({ payload: Buffer.alloc(ONE_MIB * (stringBody ? 40 : 1) + 10, 0x20), type: 'application/json', kind: 'in-scope-oversized' }),
      ];
      if (stringBody) options.push(fc.constant({ payload: '', type: 'text/csv', kind: 'in-scope-empty-file' }));
      else {
        options.push(
          fc
            .oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }), fc.boolean())
            .map((v) => ({ payload: JSON.stringify(v), type: 'application/json', kind: 'in-scope-not-an-object' })),
        );
        options.push(fc.string({ maxLength: 30 }).map((s) => ({ payload: `{"${s.replace(/["\\]/g, '')}":`, type: 'application/json', kind: 'in-scope-malformed-json' })));
        if (strictObject(schema))
          options.push(
            valid(schema).map((v) => ({ payload: JSON.stringify({ ...(v as object), fuzzUnknownField: true }), type: 'application/json', kind: 'in-scope-unknown-field' })),
          );
      }
      return fc.oneof(...options);
    };

    const requests: Req[] = [];
    const sample = <T>(a: fc.Arbitrary<T>, n: number, salt: number): T[] => fc.sample(a, { numRuns: n, seed: SEED + salt });
    routes.forEach((r, i) => {
      if (r.method === 'GET') {
        const auth = fc.oneof(auditorAuth, fc.constantFrom(`Bearer ${tokens.official}`, `Bearer ${tokens.elsewhere}`, `Bearer ${tokens.finance}`));
        // Fastify answers HEAD on every GET route too.
        const method = fc.constantFrom('GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'HEAD');
        for (const [url, authorization, extra, m] of sample(fc.tuple(urlOf(r, false), auth, extraHeaders, method), PER_ROUTE.get, i)) {
          requests.push({ method: m as Req['method'], url, headers: { ...extra, ...(authorization ? { authorization } : {}) }, kind: m.toLowerCase() });
        }
        return;
      }
      for (const [url, authorization, body, extra] of sample(fc.tuple(urlOf(r, true), auditorAuth, refusedBody(r), extraHeaders), PER_ROUTE.refused, i + 1_000)) {
        requests.push({
          method: 'POST',
          url,
          headers: { ...extra, ...(authorization ? { authorization } : {}), ...(body.type ? { 'content-type': body.type } : {}) },
          payload: body.payload,
          kind: body.kind,
        });
      }
      // The county's own official and finance: let through by the token, refused by the schema.
      const inScope = fc.constantFrom(`Bearer ${tokens.official}`, `Bearer ${tokens.finance}`);
      for (const [url, authorization, body] of sample(fc.tuple(urlOf(r, false), inScope, invalidBody(r)), PER_ROUTE.inScope, i + 2_000)) {
        requests.push({ method: 'POST', url, headers: { authorization, ...(body.type ? { 'content-type': body.type } : {}) }, payload: body.payload, kind: body.kind });
      }
    });
    // And routes that do not exist, with every method.
    for (const [method, path] of sample(fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'), junk), 100, 9_999)) {
      requests.push({ method: method as Req['method'], url: `/${encodeURIComponent(path)}`, headers: { authorization: `Bearer ${tokens.auditor}` }, kind: 'no-route' });
    }

    const failures: { req: string; status: number; body: string }[] = [];
    // Workflow ids name their village, county or household and year, and the Temporal namespace is shared by every test file:
    // a plausible id may name another file's process, whose worker has stopped. That one answer is checked below, not waived.
    const unavailable = new Set<string>();
    const statuses = new Map<string, Map<number, number>>();
    const inScopeThrough: string[] = [];
    // Every 400 says in Chinese which field and which rule: each refused input named by its path (and label), or the body or header at fault.
    const unnamed: string[] = [];
    // A few at a time, as clients would; app.inject opens no socket.
    for (let i = 0; i < requests.length; i += 8) {
      await Promise.all(
        requests.slice(i, i + 8).map(async (q) => {
          const r = await api.app.inject({ method: q.method, url: q.url, headers: q.headers, ...(q.payload !== undefined ? { payload: q.payload } : {}) });
          const key = `${q.method} ${q.url.split('?')[0]!.split('/').slice(0, 2).join('/')} ${q.kind}`;
          const m = statuses.get(key) ?? new Map<number, number>();
          m.set(r.statusCode, (m.get(r.statusCode) ?? 0) + 1);
          statuses.set(key, m);
          // A HEAD answer has no body: its code is the same request's by GET (another file's process, county-exit-xigong-2016, was seen so).
          const answer503 = r.statusCode !== 503 ? undefined : q.method === 'HEAD' ? await api.app.inject({ method: 'GET', url: q.url, headers: q.headers }) : r;
          const refusal = answer503?.statusCode === 503 ? answer503.json<{ code: string; details?: { workflowId?: string } }>() : undefined;
          if (refusal?.code === 'PROCESS_UNAVAILABLE' && refusal.details?.workflowId) unavailable.add(refusal.details.workflowId);
          else if (r.statusCode >= 500)
            failures.push({ req: `${q.method} ${q.url.slice(0, 300)} [${q.kind}] ${String(q.payload ?? '').slice(0, 300)}`, status: r.statusCode, body: r.body.slice(0, 300) });
          // Invalid by construction: nothing an in-scope official sends here may get past the schema.
          if (q.kind.startsWith('in-scope') && r.statusCode < 400) inScopeThrough.push(`${q.method} ${q.url.slice(0, 200)} [${q.kind}] → ${r.statusCode}`);
          if (r.statusCode === 400 && q.method !== 'HEAD') {
            const b = r.json<{ zh?: string; issues?: { field: string; zh: string }[] }>();
            const zh = b.zh ?? '';
            const named = b.issues
              ? b.issues.length > 0 && b.issues.every((x) => HAN.test(x.zh) && x.zh.includes(x.field) && zh.includes(x.zh))
              : HAN.test(zh) && /（body）|Content-Type|请求头|Content-Length/.test(zh);
            if (!named) unnamed.push(`${q.method} ${q.url.slice(0, 200)} [${q.kind}] → ${r.body.slice(0, 300)}`);
          }
        }),
      );
    }

    // TUOPIN_FUZZ_DEBUG=1 prints the statuses answered per route and kind of request: how deep the fuzz got.
    if (process.env.TUOPIN_FUZZ_DEBUG) console.log(JSON.stringify([...statuses.entries()].map(([k, m]) => [k, Object.fromEntries(m)])));
    const report = `seed ${SEED}: ${requests.length} requests over ${routes.length} routes`;
    expect({ report, failures: failures.slice(0, 20), count: failures.length }).toEqual({ report, failures: [], count: 0 });
    expect(inScopeThrough).toEqual([]);
    expect(unnamed.slice(0, 10)).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(3_000);
    // A fuzzed-valid command from the auditor is refused by the gate, not taken: no POST answered 2xx.
    const accepted = [...statuses.entries()].filter(([k, m]) => k.startsWith('POST') && [...m.keys()].some((s) => s < 300));
    expect(accepted).toEqual([]);
    // The fuzz got past validation to the gate somewhere: 403s were answered.
    expect([...statuses.values()].some((m) => (m.get(403) ?? 0) > 0)).toBe(true);
    expect(await snapshot()).toEqual(before);
    // Each process that could not answer runs on a task queue no worker of this stack serves.
    for (const workflowId of unavailable) {
      const d = await stack.client.workflow.getHandle(workflowId).describe();
      expect({ workflowId, ours: [stack.taskQueue, stack.cfg.TEMPORAL_EXIT_TASK_QUEUE].includes(d.taskQueue) }).toEqual({ workflowId, ours: false });
    }
  });

  it('text the store cannot keep or that reads otherwise (huge, lone surrogates, NUL, bidi overrides, zero-width only, not NFC) in every string field, and ids repeated with other bodies: 400s, no 5xx, nothing changed', async () => {
    const before = await snapshot();
    const HOSTILE = [
      '路'.repeat(100_000),
      '1' + ' '.repeat(200_000) + '2',
      'x\ud800',
      '\udc00',
      'a\u0000b',
      '\u0000',
      '嵩县\u202E1.0万',
      '\u2066abc\u2069',
      '\u200B\u200B\u200B',
      '\u200D\uFEFF',
      'Cafe\u0301',
      '\u1100\u1161',
    ];
    /** Every path to a string in a body the route's schema accepts. */
    const stringPaths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
      typeof v === 'string' ? [at] : v !== null && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => stringPaths(x, [...at, Array.isArray(v) ? Number(k) : k])) : [];
    const setAt = (v: unknown, path: (string | number)[], value: string): unknown => {
      if (path.length === 0) return value;
      const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
      copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), value);
      return copy;
    };
    const official = { authorization: (await api.bearer(PROPOSER)).authorization };
    const finance = { authorization: (await api.bearer(FINANCE)).authorization };
    const failures: string[] = [];
    const through: string[] = [];
    let sent = 0;
    const send = async (r: Route, url: string, headers: Record<string, string>, payload: unknown, what: string) => {
      const res = await api.app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': r.bodyTypes[0] ?? 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      sent++;
      if (res.statusCode >= 500 && res.json<{ code?: string }>().code !== 'PROCESS_UNAVAILABLE') failures.push(`${url} [${what}] → ${res.statusCode} ${res.body.slice(0, 200)}`);
      return res;
    };
    const posts = routes.filter((r) => r.method === 'POST' && r.body);
    for (const [i, r] of posts.entries()) {
      const url = r.url.replace(/:(\w+)/g, (_, name: string) => {
        const p = r.params.find((x) => x.in === 'path' && x.name === name);
        return encodeURIComponent(String(fc.sample(valid(p?.schema), { numRuns: 1, seed: SEED + i })[0]));
      });
      const bodies = fc.sample(valid(r.body), { numRuns: 2, seed: SEED + 5_000 + i });
      for (const [b, body] of bodies.slice(0, 1).entries()) {
        const paths = typeof body === 'string' ? [[]] : stringPaths(body);
        for (const path of paths) {
          for (const [h, hostile] of HOSTILE.entries()) {
            // The county's own officials, so the token lets the request through to the schema.
            const headers = (b + h) % 2 === 0 ? official : finance;
            const res = await send(r, url, headers, setAt(body, path, hostile), `${path.join('.') || 'body'} = hostile #${h}`);
            if (res.statusCode < 400) through.push(`${url} ${path.join('.')} #${h} → ${res.statusCode}`);
          }
        }
      }
      // One idempotency key, two different bodies (as the auditor: refused at the gate, so nothing is written either way).
      const key = `fuzz-repeat-${i}-${SEED}`;
      const auditor = { authorization: (await api.bearer({ userId: 'audit.fuzz', role: 'auditor' })).authorization, 'idempotency-key': key };
      for (const body of bodies.slice(0, 2)) await send(r, url, auditor, body, 'repeated key');
    }
    expect({ failures: failures.slice(0, 20), count: failures.length }).toEqual({ failures: [], count: 0 });
    expect(through).toEqual([]);
    expect(sent).toBeGreaterThan(300);
    expect(await snapshot()).toEqual(before);
  });

  it('ids that exist, sent again with other bodies by officials who may act (a fund appropriated again, a proposal under a running project): 409 every time, no 5xx, nothing changed', async () => {
    const before = await snapshot();
    const route = (url: string) => routes.find((r) => r.method === 'POST' && r.url === url)!;
    const answers: string[] = [];
    // Each route's own example (valid as it stands) with other terms, and random bodies its schema describes; the id always the existing one.
    const n = () => fc.integer({ min: 1, max: 99_999 });
    const cases: [string, Actor, fc.Arbitrary<Record<string, unknown>>, (body: Record<string, unknown>) => Record<string, unknown>][] = [
      [
        '/funds',
        FINANCE,
        fc.record({ amount: n().map((x) => `${x}万`), documentNumber: n().map((x) => `财农〔2016〕${x}号`), fiscalYear: fc.constantFrom(2016, 2017) }),
        (b) => ({ ...b, fundId: real.fund, countyId: 'song' }),
      ],
      ['/projects', PROPOSER, fc.record({ name: n().map((x) => `通村道路${x}`), budget: n().map((x) => `${x}万`) }), (b) => ({ ...b, projectId: real.project, countyId: 'song' })],
    ];
    for (const [i, [url, who, terms, withId]] of cases.entries()) {
      const headers = await api.bearer(who);
      const example = (route(url).body as { example?: Record<string, unknown> }).example!;
      const bodies = [
        ...fc.sample(terms, { numRuns: 30, seed: SEED + 9_000 + i }).map((t) => ({ ...example, ...t })),
        ...(fc.sample(valid(route(url).body), { numRuns: 20, seed: SEED + 9_100 + i }) as Record<string, unknown>[]),
      ];
      for (const [j, body] of bodies.entries()) {
        const res = await api.app.inject({ method: 'POST', url, headers: { ...headers, 'idempotency-key': `fuzz-again-${i}-${j}-${SEED}` }, payload: withId(body) });
        answers.push(`${url} ${res.statusCode} ${res.statusCode >= 400 ? res.json<{ code: string }>().code : ''}`);
      }
    }
    // Refused by their schema (400/422) or as the clash they are (409); never created, never a 5xx.
    expect(answers.filter((a) => !/ (400|409|422) /.test(a))).toEqual([]);
    expect(answers.some((a) => a.startsWith('/funds 409 FUND_ALREADY_APPROPRIATED'))).toBe(true);
    expect(answers.some((a) => a.startsWith('/projects 409'))).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  // The query waits QUERY_DEADLINE_MS (5 s) for a worker that never comes.
  it('a process no worker serves is answered 503 PROCESS_UNAVAILABLE with its workflow id, not an unexplained 500', async () => {
    const projectId = newProjectId();
    // No worker polls this queue, so the input is never read.
    const h = await stack.client.workflow.start(projectLifecycle, {
      workflowId: projectWorkflowId(projectId),
      taskQueue: `nobody-polls-${projectId}`,
      args: [{} as ProjectLifecycleInput],
    });
    try {
      const r = await api.app.inject({ method: 'GET', url: `/projects/${projectId}`, headers: await api.bearer({ userId: 'audit.fuzz', role: 'auditor' }) });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ code: 'PROCESS_UNAVAILABLE', zh: expect.any(String), en: expect.any(String), details: { workflowId: h.workflowId } });
    } finally {
      await h.terminate('test over');
    }
  });
});
