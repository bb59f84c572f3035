import { deciderSpec } from '../shared/testing';
import { eventRegistry } from '../event-types';
import type { CommandMeta, Role } from '../shared/actor';
import type { CountyId } from '../reference/counties';
import {
  countyDecider,
  countySampleSeed,
  makeDecide,
  provincialCheckRequestRefusal,
  sampleSizes,
  evolve,
  initialState,
  COUNTY_COMMAND_TYPES,
  type CountyCommand,
  type CountyEvent,
  type CountyState,
} from './index';

const spec = deciderSpec(countyDecider);
const USER_OF: Partial<Record<Role, string>> = { inspector: 'third-party-01', 'province-poverty-office': 'prov-01', 'province-government': 'prov-gov-01' };
const meta = (role: Role, now: string, countyId: CountyId = 'luanchuan'): CommandMeta => ({
  actor: role === 'county-official' ? { userId: 'co-lc-01', role, countyId } : { userId: USER_OF[role] ?? 'city-01', role },
  now,
});
type Data<T extends CountyCommand['type']> = Omit<Extract<CountyCommand, { type: T }>['data'], 'countyId'>;
const cmd = <T extends CountyCommand['type']>(type: T, data: Data<T>, role: Role, now: string, countyId: CountyId = 'luanchuan') =>
  ({ type, data: { countyId, ...data }, meta: meta(role, now, countyId) }) as unknown as Extract<CountyCommand, { type: T }>;

const FINDINGS = {
  sample: { seed: 'luanchuan-2018-provincial-7f3a', households: 600, evaluator: 'third-party-university' },
  wronglyExited: { found: 1, checked: 300 },
  missedPoor: { found: 2, checked: 300 },
  approval: { approving: 560, asked: 600 },
  incomeGrowthBp: { county: 1020, province: 880 },
  servicesAtOrNearProvince: true,
};
const s = {
  apply: (poorRemaining = 5_599, poorVillagesExited = 68, countyId: CountyId = 'luanchuan') =>
    cmd('ApplyForCountyExit', { year: 2018, poorRemaining, ruralPopulation: 280_000, poorVillagesExited }, 'county-official', '2018-09-01T09:00:00+08:00', countyId),
  city: (passed = true) => cmd('RecordCityPreCheck', { passed, findings: 'files complete' }, 'city-poverty-office', '2018-09-20T09:00:00+08:00'),
  province: (f: Partial<typeof FINDINGS> = {}) => cmd('RecordProvincialCheck', { ...FINDINGS, ...f }, 'province-poverty-office', '2018-10-20T09:00:00+08:00'),
  notice: (endsAt = '2018-11-08T09:00:00+08:00') => cmd('PostCountyExitNotice', { endsAt }, 'province-poverty-office', '2018-11-01T09:00:00+08:00'),
  objection: () => cmd('RaiseCountyExitObjection', { objectionId: 'cobj-1', summary: 'a sampled household was exited without consent' }, 'inspector', '2018-11-03T09:00:00+08:00'),
  resolve: (outcome: 'upheld' | 'dismissed' = 'dismissed') =>
    cmd('ResolveCountyExitObjection', { objectionId: 'cobj-1', outcome, note: 'verified' }, 'province-poverty-office', '2018-11-05T09:00:00+08:00'),
  announce: (now = '2018-11-10T09:00:00+08:00') => cmd('AnnounceCountyExit', {}, 'province-government', now),
};
const history = (commands: CountyCommand[]): CountyEvent[] => {
  const decide = makeDecide();
  let st: CountyState = initialState();
  const out: CountyEvent[] = [];
  for (const c of commands) {
    const r = decide(c, st);
    if (!r.ok) throw new Error(`fixture ${c.type} refused: ${r.error.code} ${r.error.en}`);
    out.push(...r.events);
    st = r.events.reduce(evolve, st);
  }
  return out;
};
const TO: Record<string, CountyCommand[]> = {
  'not-applied': [],
  applied: [s.apply()],
  'city-checked': [s.apply(), s.city()],
  'provincially-checked': [s.apply(), s.city(), s.province()],
  'objection-open': [s.apply(), s.city(), s.province(), s.notice(), s.objection()],
  'in-notice': [s.apply(), s.city(), s.province(), s.notice()],
  blocked: [s.apply(), s.city(), s.province({ wronglyExited: { found: 6, checked: 300 } })],
  exited: [s.apply(), s.city(), s.province(), s.notice(), s.announce()],
};
const STATES = Object.keys(TO);
const NOW = '2018-11-20T09:00:00+08:00';
const COMMANDS: Record<CountyCommand['type'], CountyCommand> = {
  ApplyForCountyExit: s.apply(),
  RecordCityPreCheck: s.city(),
  RecordProvincialCheck: s.province(),
  PostCountyExitNotice: cmd('PostCountyExitNotice', { endsAt: '2018-11-27T09:00:00+08:00' }, 'province-poverty-office', NOW),
  RaiseCountyExitObjection: cmd('RaiseCountyExitObjection', { objectionId: 'cobj-2', summary: 's' }, 'inspector', NOW),
  ResolveCountyExitObjection: s.resolve(),
  AnnounceCountyExit: s.announce(NOW),
};
const OK = 'accepted';
const EX = 'COUNTY_ALREADY_EXITED';
const IP = 'COUNTY_EXIT_IN_PROGRESS';
const TAKEN = 'COUNTY_STEP_ALREADY_TAKEN';
const WX = 'COUNTY_WRONGLY_EXITED_TOO_HIGH';
const MATRIX: Record<CountyCommand['type'], string[]> = {
  //                           not-applied  applied  city-checked  prov-checked  objection-open  in-notice  blocked  exited
  ApplyForCountyExit: [OK, IP, IP, IP, IP, IP, OK, EX],
  RecordCityPreCheck: ['COUNTY_NOT_APPLIED', OK, TAKEN, TAKEN, TAKEN, TAKEN, WX, EX],
  RecordProvincialCheck: ['COUNTY_NOT_APPLIED', 'COUNTY_CITY_PRECHECK_MISSING', OK, TAKEN, TAKEN, TAKEN, WX, EX],
  PostCountyExitNotice: ['COUNTY_NOT_APPLIED', 'COUNTY_CITY_PRECHECK_MISSING', 'COUNTY_PROVINCIAL_CHECK_MISSING', OK, 'COUNTY_OBJECTION_OPEN', TAKEN, WX, EX],
  RaiseCountyExitObjection: [
    'COUNTY_NOTICE_MISSING',
    'COUNTY_NOTICE_MISSING',
    'COUNTY_NOTICE_MISSING',
    'COUNTY_NOTICE_MISSING',
    'COUNTY_NOTICE_MISSING',
    'COUNTY_NOTICE_ENDED',
    'COUNTY_NOTICE_MISSING',
    EX,
  ],
  ResolveCountyExitObjection: [
    'COUNTY_OBJECTION_UNKNOWN',
    'COUNTY_OBJECTION_UNKNOWN',
    'COUNTY_OBJECTION_UNKNOWN',
    'COUNTY_OBJECTION_UNKNOWN',
    OK,
    'COUNTY_OBJECTION_UNKNOWN',
    'COUNTY_OBJECTION_UNKNOWN',
    'COUNTY_OBJECTION_UNKNOWN',
  ],
  AnnounceCountyExit: ['COUNTY_NOT_APPLIED', 'COUNTY_CITY_PRECHECK_MISSING', 'COUNTY_PROVINCIAL_CHECK_MISSING', 'COUNTY_NOTICE_MISSING', 'COUNTY_NOTICE_MISSING', OK, WX, EX],
};

describe('county decider: every command in every state', () => {
  it('covers every command', () => expect(Object.keys(MATRIX).sort()).toEqual([...COUNTY_COMMAND_TYPES].sort()));
  const histories = Object.fromEntries(STATES.map((st) => [st, history(TO[st]!)]));
  for (const type of COUNTY_COMMAND_TYPES) {
    describe(type, () =>
      STATES.forEach((st, i) =>
        it(`in ${st}: ${MATRIX[type][i]}`, () => {
          const w = spec.given(histories[st]!).when(COMMANDS[type]);
          if (MATRIX[type][i] === OK) w.thenAccepts();
          else w.thenRefuses(MATRIX[type][i]!);
        }),
      ),
    );
  }
});

describe('county exit: the plan’s tests, with their numbers', () => {
  it('栾川县 (poor county) at 1.99% incidence with 68 of 75 villages exited (90.67%) may apply', () => {
    const [e] = spec.given([]).when(s.apply()).thenAccepts();
    expect(e!.data).toMatchObject({ poorCounty: true, poorVillagesTotal: 75, baselinePoor: 27_208, policy: { id: 'exit-thresholds', version: 1 } });
  });
  it('at exactly 2% (5,600 of 280,000) it may not', () => {
    const w = spec.given([]).when(s.apply(5_600));
    w.thenRefuses('COUNTY_INCIDENCE_TOO_HIGH');
    if (!w.result.ok) expect(w.result.error.en).toBe('incidence 2.00% (5600/280000) is not below 2%');
  });
  it('with 67 of 75 villages exited (89.33%) it may not', () => {
    const w = spec.given([]).when(s.apply(5_599, 67));
    w.thenRefuses('COUNTY_TOO_FEW_VILLAGES_EXITED');
    if (!w.result.ok) expect(w.result.error.en).toBe('poor villages exited 89.33% (67/75) is below 90%');
  });
  it('偃师市 (non-poor): all 20 villages out and 1,315 of 13,154 left (a 90.003% reduction) may apply; 1,316 left may not', () => {
    const ys = (left: number, villages = 20) => ({ ...s.apply(left, villages, 'yanshi'), meta: meta('county-official', '2017-09-01T09:00:00+08:00', 'yanshi') });
    spec.given([]).when(ys(1_315)).thenAccepts();
    spec.given([]).when(ys(1_316)).thenRefuses('COUNTY_POOR_NOT_REDUCED_ENOUGH');
    spec.given([]).when(ys(100, 19)).thenRefuses('COUNTY_POOR_VILLAGES_REMAIN');
  });
  it('a failed provincial test blocks the exit and every later step names it', () => {
    const given = history(TO['city-checked']!);
    const [rec] = spec
      .given(given)
      .when(s.province({ wronglyExited: { found: 6, checked: 300 }, approval: { approving: 530, asked: 600 } }))
      .thenAccepts();
    expect(rec!.data).toMatchObject({ passed: false, failures: [{ code: 'COUNTY_WRONGLY_EXITED_TOO_HIGH' }, { code: 'COUNTY_APPROVAL_TOO_LOW' }] });
    const w = spec.given([...given, rec!]).when(s.notice());
    w.thenRefuses('COUNTY_WRONGLY_EXITED_TOO_HIGH');
    if (!w.result.ok) expect(w.result.error.en).toBe('wrongly-exited rate 2.00% (6/300) is not below 2%');
  });
  it.each([
    [{ missedPoor: { found: 6, checked: 300 } }, 'COUNTY_MISSED_POOR_TOO_HIGH'],
    [{ approval: { approving: 539, asked: 600 } }, 'COUNTY_APPROVAL_TOO_LOW'],
    [{ incomeGrowthBp: { county: 880, province: 880 } }, 'COUNTY_INCOME_GROWTH_NOT_ABOVE_PROVINCE'],
    [{ servicesAtOrNearProvince: false }, 'COUNTY_SERVICES_BELOW_PROVINCE'],
  ])('provincial finding %j fails with %s', (f, code) => {
    const [rec] = spec.given(history(TO['city-checked']!)).when(s.province(f)).thenAccepts();
    expect((rec!.data as { failures: { code: string }[] }).failures.map((x) => x.code)).toEqual([code]);
  });
  it('approval of exactly 90% passes', () => {
    const [rec] = spec
      .given(history(TO['city-checked']!))
      .when(s.province({ approval: { approving: 540, asked: 600 } }))
      .thenAccepts();
    expect(rec!.data).toMatchObject({ passed: true });
  });
  it('a failed city pre-check blocks; a new application reopens', () => {
    const given = history([s.apply(), s.city(false)]);
    spec.given(given).when(s.province()).thenRefuses('COUNTY_CITY_PRECHECK_FAILED');
    spec.given(given).when(s.apply()).thenAccepts();
  });
  it('no announcement during the notice; an objection voids the notice until dismissed, an upheld one blocks', () => {
    spec.given(history(TO['in-notice']!)).when(s.announce('2018-11-07T09:00:00+08:00')).thenRefuses('COUNTY_NOTICE_RUNNING');
    const open = history(TO['objection-open']!);
    spec.given(open).when(s.announce()).thenRefuses('COUNTY_NOTICE_MISSING');
    const dismissed = [...open, ...spec.given(open).when(s.resolve('dismissed')).thenAccepts()];
    spec.given(dismissed).when(s.notice('2018-11-20T09:00:00+08:00')).thenAccepts();
    const upheld = [...open, ...spec.given(open).when(s.resolve('upheld')).thenAccepts()];
    spec.given(upheld).when(s.notice('2018-11-20T09:00:00+08:00')).thenRefuses('COUNTY_OBJECTION_UPHELD');
  });
  it('refuses invalid findings, wrong roles and another county’s official', () => {
    spec
      .given(history(TO['city-checked']!))
      .when(s.province({ wronglyExited: { found: 3, checked: 0 } }))
      .thenRefuses('COUNTY_FINDINGS_INVALID');
    spec
      .given([])
      .when({ ...s.apply(), meta: meta('county-official', '2018-09-01T09:00:00+08:00', 'song') })
      .thenRefuses('ACCESS_OUT_OF_COUNTY');
    spec
      .given(history(TO.applied!))
      .when({ ...s.city(), meta: meta('county-official', '2018-09-20T09:00:00+08:00') })
      .thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec
      .given(history(TO.applied!))
      .when(s.apply(5_599, 68, 'song'))
      .thenRefuses('COUNTY_ID_MISMATCH');
    spec.given([]).when(s.apply(5_599, 76)).thenRefuses('COUNTY_COUNT_INVALID');
  });
  it('摘帽 is the province’s act: the city pre-checks only; the provincial office checks and posts the notice; the provincial government announces', () => {
    const as = <C extends CountyCommand>(c: C, role: Role): C => ({ ...c, meta: meta(role, c.meta.now) });
    // The city (市级初审) may no longer check for the province, post the notice or announce; nor may a Luoyang inspector check.
    spec.given(history(TO['city-checked']!)).when(as(s.province(), 'inspector')).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec.given(history(TO['city-checked']!)).when(as(s.province(), 'city-poverty-office')).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec.given(history(TO['provincially-checked']!)).when(as(s.notice(), 'city-poverty-office')).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec.given(history(TO['in-notice']!)).when(as(s.announce(), 'city-poverty-office')).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    // The province does not pre-check for the city, the office does not announce, the government does not check.
    spec.given(history(TO.applied!)).when(as(s.city(), 'province-poverty-office')).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec.given(history(TO['in-notice']!)).when(as(s.announce(), 'province-poverty-office')).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    spec.given(history(TO['city-checked']!)).when(as(s.province(), 'province-government')).thenRefuses('ACCESS_ROLE_NOT_ALLOWED');
    // Each act is recorded under the provincial account that took it.
    expect(spec.given(history(TO['city-checked']!)).when(s.province()).thenAccepts()[0]!.data).toMatchObject({ by: 'prov-01' });
    expect(spec.given(history(TO['provincially-checked']!)).when(s.notice()).thenAccepts()[0]!.data).toMatchObject({ by: 'prov-01' });
    expect(spec.given(history(TO['in-notice']!)).when(s.announce()).thenAccepts()[0]).toMatchObject({ type: 'CountyExited', data: { by: 'prov-gov-01' } });
  });
  it('a notice shorter than 7 days is refused', () =>
    spec.given(history(TO['provincially-checked']!)).when(s.notice('2018-11-08T08:59:59+08:00')).thenRefuses('COUNTY_NOTICE_TOO_SHORT'));
});

describe('issue 14 point 9: the 综合贫困发生率 with the sampled 错退 and 漏评 in it', () => {
  // 栾川县: 280,000 rural people; 5,000 unexited, 20,000 exited people in 6,000 households, 200,000 not registered in 50,000 households.
  const FRAMES = { poorRemaining: 5_000, exitedHouseholds: 6_000, exitedPeople: 20_000, nonRegisteredHouseholds: 50_000, nonRegisteredPeople: 200_000 };
  const check = (f: Partial<typeof FINDINGS> & { frames?: typeof FRAMES }) => spec.given(history(TO['city-checked']!)).when(s.province(f));
  it('given rates each under 2%, when the sampled 错退 and 漏评 carried to the county lift the composite to 2% or more, then the check fails naming it', () => {
    // 5,000 + 1/300 × 20,000 (≈67) + 1/300 × 200,000 (≈667) = ≈5,733 of 280,000 = 2.05%: each rate alone (0.33%) passes.
    const [rec] = check({ wronglyExited: { found: 1, checked: 300 }, missedPoor: { found: 1, checked: 300 }, frames: FRAMES }).thenAccepts();
    expect(rec!.data).toMatchObject({
      passed: false,
      failures: [{ code: 'COUNTY_COMPOSITE_INCIDENCE_TOO_HIGH' }],
      frames: FRAMES,
      composite: { unexited: 5_000, wronglyExitedEstimate: 67, missedEstimate: 667, ruralPopulation: 280_000, tested: true, policy: { id: 'county-check', version: 1 } },
    });
    expect((rec!.data as { failures: { zh: string }[] }).failures[0]!.zh).toBe('综合贫困发生率约2.05%未低于2%（未脱贫5000人、错退约67人、漏评约667人，农业户籍人口280000人）');
  });
  it('with no 漏评 found the same county is at 1.81% and passes', () => {
    const [rec] = check({ wronglyExited: { found: 1, checked: 300 }, missedPoor: { found: 0, checked: 300 }, frames: FRAMES }).thenAccepts();
    expect(rec!.data).toMatchObject({ passed: true, composite: { wronglyExitedEstimate: 67, missedEstimate: 0 } });
  });
  it('the boundary is exact: 5,600 of 280,000 (exactly 2%) fails, 5,599 passes', () => {
    const zero = { wronglyExited: { found: 0, checked: 300 }, missedPoor: { found: 0, checked: 300 } };
    check({ ...zero, frames: { ...FRAMES, poorRemaining: 5_600 } }).thenAccepts();
    const at = check({ ...zero, frames: { ...FRAMES, poorRemaining: 5_600 } }).result;
    expect(at.ok && (at.events[0]!.data as { passed: boolean }).passed).toBe(false);
    const below = check({ ...zero, frames: { ...FRAMES, poorRemaining: 5_599 } }).result;
    expect(below.ok && (below.events[0]!.data as { passed: boolean }).passed).toBe(true);
  });
  it('frames whose people exceed the rural population, or a sample larger than its frame, are refused', () => {
    check({ frames: { ...FRAMES, nonRegisteredPeople: 260_000 } }).thenRefuses('COUNTY_FRAMES_INVALID');
    check({ frames: { ...FRAMES, exitedHouseholds: 299 } }).thenRefuses('COUNTY_FRAMES_INVALID');
  });
  it('a non-poor county (面上县, 偃师市): the three rates and the composite are recorded and do not block', () => {
    const ys = <C extends CountyCommand>(c: C): C => ({ ...c, data: { ...c.data, countyId: 'yanshi' }, meta: meta(c.meta.actor.role, c.meta.now, 'yanshi') });
    const given = history([ys(s.apply(1_315, 20, 'yanshi')), ys(s.city())]);
    const [rec] = spec
      .given(given)
      .when(ys(s.province({ wronglyExited: { found: 6, checked: 300 }, approval: { approving: 500, asked: 600 }, frames: { ...FRAMES, poorRemaining: 1_315 } } as never)))
      .thenAccepts();
    expect(rec!.data).toMatchObject({ passed: true, failures: [], composite: { tested: false } });
  });
});

describe('issue 14 point 10: the checker chooses neither the seed nor a sample below the minimum', () => {
  const BASIS = { position: 4_211, digest: 'ab'.repeat(32) };
  const FRAMES = { poorRemaining: 5_000, exitedHouseholds: 6_000, exitedPeople: 20_000, nonRegisteredHouseholds: 50_000, nonRegisteredPeople: 200_000 };
  const applied = () => history([{ ...s.apply(), data: { ...s.apply().data, sampleBasis: BASIS } }, s.city()]);
  const seed = countySampleSeed('luanchuan', 2018, BASIS);
  it('given an application that fixed the store digest, then the event records it', () => {
    expect(applied()[0]!.data).toMatchObject({ sampleBasis: BASIS });
    expect(seed).toBe(`county-exit:luanchuan:2018:4211:${'ab'.repeat(32)}`);
  });
  it('when the checker brings a seed of their own, then the check is refused', () =>
    spec
      .given(applied())
      .when(s.province({ frames: FRAMES } as never))
      .thenRefuses('COUNTY_SAMPLE_SEED_NOT_FIXED'));
  it('when the sample is the derived one, then the check is recorded under its seed', () => {
    const [rec] = spec
      .given(applied())
      .when(s.province({ sample: { ...FINDINGS.sample, seed }, frames: FRAMES } as never))
      .thenAccepts();
    expect(rec!.data).toMatchObject({ sample: { seed }, frames: FRAMES });
  });
  it('when fewer than the policy’s 300 exited households are drawn from a frame that has them, then it is refused; a frame of 120 is drawn whole', () => {
    const small = { sample: { ...FINDINGS.sample, seed }, wronglyExited: { found: 0, checked: 120 }, frames: FRAMES };
    spec
      .given(applied())
      .when(s.province(small as never))
      .thenRefuses('COUNTY_SAMPLE_TOO_SMALL');
    spec
      .given(applied())
      .when(s.province({ ...small, frames: { ...FRAMES, exitedHouseholds: 120 } } as never))
      .thenAccepts();
  });
  it('a check request once the seed is fixed: a seed of the checker’s, or fewer than 300 from a frame, is refused before anything is drawn; none asked draws the minimum', () => {
    expect(provincialCheckRequestRefusal({ seed: 'mine' })).toMatchObject({ code: 'COUNTY_SAMPLE_SEED_FIXED' });
    expect(provincialCheckRequestRefusal({ nonRegisteredToSample: 10 })).toMatchObject({ code: 'COUNTY_SAMPLE_TOO_SMALL' });
    expect(provincialCheckRequestRefusal({ exitedToSample: 400 })).toBeUndefined();
    expect(sampleSizes({ exitedToSample: 400 })).toEqual({ exited: 400, nonRegistered: 300 });
  });
  it('the frames are required once the seed is fixed', () =>
    spec
      .given(applied())
      .when(s.province({ sample: { ...FINDINGS.sample, seed } } as never))
      .thenRefuses('COUNTY_SAMPLE_FRAMES_MISSING'));
  it('an application of version 1 (no basis) is read with none, and its check keeps the seed it was given', () => {
    const v1 = eventRegistry.get('CountyExitApplied')!.past![0]!;
    const { sampleBasis: _, ...data } = history([s.apply()])[0]!.data as { sampleBasis: unknown };
    expect(v1.schema.safeParse(data).success).toBe(true);
    expect(v1.upcast(data)).toMatchObject({ sampleBasis: null });
  });
});

describe('county events fit their registered schemas', () => {
  it.each(Object.keys(TO))('history to %s', (st) => {
    for (const ev of history(TO[st]!)) {
      const r = eventRegistry.get(ev.type)!.schema.safeParse(ev.data);
      if (!r.success) throw new Error(`${ev.type}: ${r.error.message}`);
    }
  });
});
