/**
 * What makes two requests under one Update id the same request: their arguments as JSON with keys
 * sorted, so key order does not matter. Pure and deterministic (workflow code); kept per Update id
 * beside its answer, so an id reused for another request is refused instead of answered as the first.
 */
export const requestFingerprint = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(requestFingerprint).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${requestFingerprint(o[k])}`)
    .join(',')}}`;
};

/** A request without its actor assertion: a repeat with a fresh token is the same request (the Update ids the services give, and the workflows' fingerprints). */
export const withoutAssertion = (req: unknown): unknown => {
  if (req === null || typeof req !== 'object' || !('assertion' in req)) return req;
  const { assertion: _a, ...rest } = req as Record<string, unknown>;
  return rest;
};
