import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { POLICY_JOIN, policyOf } from './audit-trail';

/**
 * A trail's policyVersion is named by PostgreSQL (POLICY_JOIN, over `e.data`'s policy and policies) where the service once
 * named it in this process (policyOf): the same text for every shape an event's data may hold,
 * the short forms taken one by one and the long list element by element.
 */
const SAMPLES: unknown[] = [
  { amount: 5 },
  { policy: { id: 'project-notice-days', version: 2 } },
  {
    policies: [
      { id: 'payment-template', version: 1 },
      { id: 'payment-negative-list', version: 1 },
    ],
  },
  {
    policy: { id: 'a', version: 1 },
    policies: [
      { id: 'b', version: 2 },
      { id: 'c', version: 3 },
      { id: 'd', version: 4 },
    ],
  },
  {
    policy: { id: 'a', version: 1 },
    policies: [
      { id: 'b', version: 2 },
      { id: 'c', version: 3 },
      { id: 'd', version: 4 },
      { id: 'e', version: 5 },
    ],
  },
  { policies: [{ id: 'x', version: 1.5 }, { id: 'y', version: 2.0 }, { id: 'z', version: 'one' }, { id: 7, version: 1 }, null, 'p', { id: 'w', version: -3 }] },
  {
    policies: [
      { id: 'big', version: 12345678901234 },
      { id: 'neg', version: -0 },
      { id: '', version: 1 },
    ],
  },
  { policy: { id: 'x', version: 1.25 } },
  { policy: [{ id: 'in-an-array', version: 1 }] },
  { policy: 'plain', policies: { 0: { id: 'not-a-list', version: 1 } } },
  { policies: [] },
  { policy: null, policies: null },
  [{ id: 'data-is-a-list', version: 1 }],
  'text',
  7,
  null,
];

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('trailpolicy');
});
afterAll(async () => {
  await t?.drop();
});

describe("the policies a trail's entry names, in PostgreSQL", () => {
  it('names what policyOf names, for every shape of data', async () => {
    const { rows } = await sql<{ p: string | null }>`
      SELECT pv.policy_version AS p FROM unnest(${SAMPLES.map((d) => JSON.stringify(d))}::jsonb[]) WITH ORDINALITY AS e(data, o)
        CROSS JOIN LATERAL (SELECT e.data->'policy' AS policy, e.data->'policies' AS policies) t
        ${POLICY_JOIN}
       ORDER BY e.o`.execute(t.appDb);
    expect(rows.map((r) => r.p)).toEqual(SAMPLES.map(policyOf));
  });
});
