/**
 * Freezes what a module shares with every workflow in a worker's reusable sandbox, as the SDK's own
 * deep freeze of preloaded modules does (own properties, depth first; functions frozen but not
 * entered; prototypes, closures and Map/Set contents not reached), except zod schemas (they and all
 * beneath them are left as they are) and stateless regular expressions.
 *
 * Why: zod 4 memoises on its schema objects when they are first used (a method read binds it onto
 * the schema, `_zod` derives its lazy internals, a container's first parse replaces its own parse
 * function), so a frozen schema throws at its first use ("Cannot define property optional, object
 * is not extensible"). These writes only cache what the schema's definition already decides, the
 * same for every workflow, so sharing unfrozen schemas cannot carry one run's state into another.
 * Everything else a shared module exports is frozen: a workflow that wrote to a shared constant would
 * throw instead of changing another workflow's run. The SDK's freeze, which follows, stops at an
 * object already frozen (`Object.isFrozen`), so it does not reach the schemas beneath.
 */
export const freezeExceptSchemas = (value: unknown, visited: WeakSet<object> = new WeakSet()): void => {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
  const o = value as object;
  if (visited.has(o) || Object.isFrozen(o)) return;
  visited.add(o);
  // A zod schema stays as it is; a typed array cannot be frozen (the SDK's freeze passes over it too).
  if (isZodSchema(o) || ArrayBuffer.isView(o)) return;
  // A pattern without the g or y flag keeps no state between uses, but zod resets its lastIndex before
  // each test (`.regex(MEMBER_KEY)`), which a frozen one refuses; one with g or y carries lastIndex from
  // one use to the next, so it is frozen: a workflow using it so would throw, not see another's state.
  if (o instanceof RegExp && !o.global && !o.sticky) return;
  if (typeof o === 'object') {
    for (const key of Reflect.ownKeys(o)) {
      // Read as the SDK reads it (an export's getter gives the module's binding).
      const child: unknown = (o as Record<PropertyKey, unknown>)[key];
      freezeExceptSchemas(child, visited);
    }
  }
  Object.freeze(o);
};

/** A zod schema or check: zod gives each its internals as an own `_zod`. */
const isZodSchema = (o: object): boolean => Object.prototype.hasOwnProperty.call(o, '_zod');
