import type { z } from 'zod';
import * as projects from './schemas/projects';
import * as funds from './schemas/funds';
import * as exits from './schemas/exits';
import * as registry from './schemas/registry';
import * as audit from './schemas/audit';
import * as ledger from './schemas/ledger';
import * as benefits from './schemas/benefits';
import * as complaints from './schemas/complaints';
import * as identification from './schemas/identification';
import * as planProgress from './schemas/plan-progress';
import * as projectSteps from './schemas/project-steps';
import * as common from './schemas/common';
import { FIELD_LABELS } from '../domain/names/fields';

/** Every key a request may carry, walking objects, unions, arrays, pipes and wrappers. */
const keysOf = (schema: unknown, into = new Set<string>(), depth = 0): Set<string> => {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
  if (!def || depth > 20) return into;
  if (def.type === 'object') for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) keysOf(v, into.add(k), depth + 1);
  for (const k of ['innerType', 'in', 'out', 'element', 'left', 'right', 'valueType']) if (def[k]) keysOf(def[k], into, depth + 1);
  for (const k of ['options', 'items']) if (Array.isArray(def[k])) for (const o of def[k] as unknown[]) keysOf(o, into, depth + 1);
  return into;
};

describe('every field a request may carry has a Chinese label for refusals', () => {
  const requestSchemas = Object.entries({
    ...common,
    ...projects,
    ...projectSteps,
    ...funds,
    ...exits,
    ...identification,
    ...benefits,
    ...complaints,
    ...planProgress,
    ...registry,
    ...audit,
    ...ledger,
  }).filter(([n]) => /(Body|Query|Params)Schema$/.test(n));

  it('finds the request schemas', () => expect(requestSchemas.length).toBeGreaterThan(15));

  it.each(requestSchemas)('%s', (_, schema) => {
    const missing = [...keysOf(schema)].filter((k) => !Object.hasOwn(FIELD_LABELS, k));
    expect(missing).toEqual([]);
  });
});
