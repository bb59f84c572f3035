import fc from 'fast-check';
import { eventRegistry } from '../event-types';
import { makeDecide } from './decide';
import { evolve } from './evolve';
import { initialState, type VillageState } from './state';
import { CHECKLIST_ITEMS, CHECK_RESULTS, unmetItems } from './checklist';
import type { VillageCommand } from './commands';
import type { VillageEvent } from './events';
import { vcmd, vsteps } from './fixtures';

/** Random village histories: an exit happens only with the year's count below 2% and the checklist closed, after a full notice. */
const DAY = 86_400_000;
const kind = <K extends string>(k: K) => fc.record({ k: fc.constant(k) });
const step = fc.oneof(
  { weight: 2, arbitrary: fc.record({ k: fc.constant('count' as const), poor: fc.integer({ min: 0, max: 40 }), pop: fc.integer({ min: 1, max: 1200 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('check' as const), item: fc.constantFrom(...CHECKLIST_ITEMS.map((i) => i.id)), result: fc.constantFrom(...CHECK_RESULTS) }) },
  { weight: 2, arbitrary: kind('checkAll' as const) },
  { weight: 3, arbitrary: kind('apply' as const) },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('review' as const), yes: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('notice' as const), days: fc.constantFrom(3, 7, 10) }) },
  { weight: 4, arbitrary: kind('announce' as const) },
  { weight: 1, arbitrary: kind('objection' as const) },
  { weight: 1, arbitrary: kind('resolve' as const) },
);

describe('village exit properties', () => {
  it('VillageExited only with incidence below 2% (100n < 2d), the checklist closed and the notice over', () => {
    let exits = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(step, fc.integer({ min: 0, max: 96 })), { minLength: 20, maxLength: 60 }), (steps) => {
        const decide = makeDecide();
        let s: VillageState = initialState();
        const log: VillageEvent[] = [];
        let t = Date.parse('2018-10-01T00:00:00Z');
        const run = (c: VillageCommand) => {
          const r = decide(c, s);
          if (!r.ok) return;
          for (const e of r.events) {
            const parsed = eventRegistry.get(e.type)!.schema.safeParse(e.data);
            if (!parsed.success) throw new Error(`${e.type}: ${parsed.error.message}`);
            if (e.type === 'VillageExited') {
              exits++;
              const file = s.status === 'unregistered' ? undefined : s.file;
              const count = file?.incidence[e.data.year];
              expect(count && count.poorRemaining * 100 < 2 * count.population).toBe(true);
              expect(unmetItems(file!.checklist, e.data.year)).toEqual([]);
              const notice = [...log].reverse().find((x) => x.type === 'VillageExitNoticePosted');
              expect(notice?.type === 'VillageExitNoticePosted' && Date.parse(e.data.at) >= Date.parse(notice.data.endsAt)).toBe(true);
            }
            log.push(e);
          }
          s = r.events.reduce(evolve, s);
        };
        run(vsteps.register());
        for (const [st, hours] of steps) {
          t += hours * 3_600_000;
          const now = new Date(t).toISOString();
          switch (st.k) {
            case 'count':
              run(vcmd('RecordVillageIncidence', { year: 2018, poorRemaining: Math.min(st.poor, st.pop), population: st.pop }, 'township-official', now));
              break;
            case 'check':
              run(vcmd('CheckVillageItem', { item: st.item, result: st.result, evidenceRef: 'e' }, 'work-team', now));
              break;
            case 'checkAll':
              vsteps.checkAll().forEach((c) => run({ ...c, meta: { ...c.meta, now } }));
              break;
            case 'apply':
              run(vcmd('ApplyForVillageExit', { year: 2018 }, 'township-official', now));
              break;
            case 'review':
              run(vcmd('ReviewVillageExit', { approved: st.yes, note: '' }, 'county-official', now));
              break;
            case 'notice':
              run(vcmd('PostVillageExitNotice', { endsAt: new Date(t + st.days * DAY).toISOString() }, 'township-official', now));
              break;
            case 'objection':
              run(vcmd('RaiseVillageExitObjection', { objectionId: 'vobj-1', summary: 's' }, 'work-team', now));
              break;
            case 'resolve':
              run(vcmd('ResolveVillageExitObjection', { objectionId: 'vobj-1', outcome: 'dismissed', note: '' }, 'county-official', now));
              break;
            case 'announce':
              run(vcmd('AnnounceVillageExit', {}, 'county-official', now));
              break;
          }
        }
      }),
      { numRuns: 2000 },
    );
    expect(exits).toBeGreaterThan(10);
  });
});
