import { z } from 'zod';
import { freezeExceptSchemas } from './freeze-except-schemas';

// What a shared module's exports look like to the freeze: constants, functions and zod schemas,
// some schemas only reachable through a constant.
const moduleExports = () => {
  const USER_ID = /^u\d+$/;
  const actor = z.object({ id: z.string().regex(USER_ID), role: z.enum(['township', 'county']) }).strict();
  return {
    USER_ID,
    EVERY_DIGIT: /\d/g,
    LIMITS: { max: 3, roles: ['township', 'county'] },
    STEP_SCHEMAS: { approve: z.object({ actor, opinion: z.string().max(10) }) },
    actor,
    check: (n: number) => n <= 3,
    bytes: new Uint8Array([1, 2]),
  };
};

describe('freezeExceptSchemas: what a worker sandbox shares between workflows', () => {
  it('freezes the constants and functions a module shares, nested ones too', () => {
    const m = moduleExports();
    freezeExceptSchemas(m);
    expect([m, m.LIMITS, m.LIMITS.roles, m.STEP_SCHEMAS, m.check].map((x) => Object.isFrozen(x))).toEqual([true, true, true, true, true]);
    expect(() => (m.LIMITS.roles as string[]).push('city')).toThrow(TypeError);
  });

  it('leaves every zod schema and what it holds as zod made it, however it is reached', () => {
    const m = moduleExports();
    freezeExceptSchemas(m);
    expect(Object.isFrozen(m.actor)).toBe(false);
    expect(Object.isFrozen(m.STEP_SCHEMAS.approve)).toBe(false);
    expect(Object.isFrozen(m.STEP_SCHEMAS.approve.shape)).toBe(false);
  });

  it('so the schemas still work when first used after the freeze: derived, parsed and refusing', () => {
    const m = moduleExports();
    freezeExceptSchemas(m);
    // Each of these memoises on the schema at its first use (zod 4): a frozen schema throws here.
    const optionalActor = m.actor.optional();
    expect(optionalActor.parse(undefined)).toBeUndefined();
    expect(m.STEP_SCHEMAS.approve.parse({ actor: { id: 'u1', role: 'county' }, opinion: '同意' })).toEqual({ actor: { id: 'u1', role: 'county' }, opinion: '同意' });
    const refused = m.STEP_SCHEMAS.approve.safeParse({ actor: { id: '', role: 'city' }, opinion: '同意' });
    expect(refused.success ? [] : refused.error.issues.map((i) => i.path.join('.'))).toEqual(['actor.id', 'actor.role']);
  });

  it('leaves a pattern without g or y writable, as zod resets its lastIndex before each test, and freezes one with g', () => {
    const m = moduleExports();
    freezeExceptSchemas(m);
    expect([Object.isFrozen(m.USER_ID), Object.isFrozen(m.EVERY_DIGIT)]).toEqual([false, true]);
    expect(m.actor.safeParse({ id: 'u7', role: 'township' }).success).toBe(true);
    expect(() => m.EVERY_DIGIT.test('7')).toThrow(TypeError);
  });

  it('passes over a typed array, which cannot be frozen', () => {
    const m = moduleExports();
    expect(() => freezeExceptSchemas(m)).not.toThrow();
    expect(Object.isFrozen(m)).toBe(true);
  });
});
