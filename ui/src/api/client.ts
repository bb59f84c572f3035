import type { paths } from './schema';

/**
 * The UI's one way to the API: typed by the generated OpenAPI types (schema.d.ts), so a request
 * or an answer that the API does not describe does not compile. No rule of the API is repeated here.
 */
type Method = 'get' | 'post';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Params<P extends keyof paths, M extends Method> = Op<P, M> extends { parameters: infer X } ? X : never;
type PathParams<P extends keyof paths, M extends Method> = Params<P, M> extends { path?: infer X } ? X : never;
type QueryParams<P extends keyof paths, M extends Method> = Params<P, M> extends { query?: infer X } ? X : never;
type Body<P extends keyof paths, M extends Method> = Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type Ok<P extends keyof paths, M extends Method> =
  Op<P, M> extends { responses: infer R }
    ? R extends { 200: { content: { 'application/json': infer J } } }
      ? J
      : R extends { 201: { content: { 'application/json': infer J } } }
        ? J
        : unknown
    : unknown;

export type Answer<P extends keyof paths, M extends Method = 'get'> = Ok<P, M>;

/** The API's refusal as it sent it: its code, its Chinese and English messages, and the fields it names. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly issues: readonly { field: string; message: string; zh?: string }[] = [],
    readonly details?: Record<string, unknown>,
  ) {
    super(en);
    this.name = 'ApiRefusal';
  }
}

let token: string | null = null;
let onUnauthorized: (() => void) | null = null;

export const setToken = (t: string | null): void => {
  token = t;
};
export const whenUnauthorized = (f: () => void): void => {
  onUnauthorized = f;
};

const fill = (path: string, params: Record<string, unknown> | undefined): string => path.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(String(params?.[k] ?? '')));

const queryString = (q: Record<string, unknown> | undefined): string => {
  if (!q) return '';
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};

const send = async (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> => {
  const h: Record<string, string> = { accept: 'application/json', ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const r = await fetch(url, { method, headers: h, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (r.ok) return r;
  let e: { code?: string; zh?: string; en?: string; issues?: { field: string; message: string; zh?: string }[]; details?: Record<string, unknown> } = {};
  try {
    e = (await r.json()) as typeof e;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  if (r.status === 401 && onUnauthorized) onUnauthorized();
  throw new ApiRefusal(r.status, e.code ?? `HTTP_${r.status}`, e.zh ?? `请求失败（${r.status}）`, e.en ?? `request failed (${r.status})`, e.issues ?? [], e.details);
};

export const api = {
  get: async <P extends keyof paths>(path: P, opts: { path?: PathParams<P, 'get'>; query?: QueryParams<P, 'get'> } = {}): Promise<Ok<P, 'get'>> => {
    const r = await send('GET', fill(path as string, opts.path as Record<string, unknown>) + queryString(opts.query as Record<string, unknown>));
    return (await r.json()) as Ok<P, 'get'>;
  },
  /** The raw body (CSV): the same path, another format. */
  text: async <P extends keyof paths>(path: P, opts: { path?: PathParams<P, 'get'>; query?: QueryParams<P, 'get'> } = {}): Promise<string> => {
    const r = await send('GET', fill(path as string, opts.path as Record<string, unknown>) + queryString(opts.query as Record<string, unknown>));
    return r.text();
  },
  post: async <P extends keyof paths>(path: P, opts: { path?: PathParams<P, 'post'>; body: Body<P, 'post'>; idempotencyKey?: string }): Promise<Ok<P, 'post'>> => {
    const r = await send('POST', fill(path as string, opts.path as Record<string, unknown>), opts.body, opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {});
    return (await r.json()) as Ok<P, 'post'>;
  },
};

/** A fresh request id for a command, so a retried click is the same request. */
export const newRequestId = (): string => `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
