import { fixtureHex, historyOf, HH, keysOf, MEMBERS, TO_STATE, steps, meta as hhMeta } from '../household/fixtures';
import { eventRegistry } from '../event-types';
import { accountNumberSchema, maskAccount } from './account';
import { decideFile, type BenefitFileCommand } from './file-decide';
import type { BenefitFileEvent } from './file-events';
import { benefitFactsOf, emptyFile, evolveFile, registryViewOf, type BenefitFileState } from './household-facts';
import { assessHousehold, resolveStandards } from './eligibility';
import { BENEFIT_PROGRAMMES } from './programmes';

// Account keys as infra/personal-data/keys.ts shapes them (the domain carries keys, never computes them).
const accountKeyOf = (n: string): string => `ykt-${fixtureHex(`ykt:${n}`, 32)}`;
const keys = keysOf(MEMBERS);
const poor = () => registryViewOf(historyOf(TO_STATE.poor))!;
const NOW = '2018-08-20T09:00:00+08:00';
const tw = hhMeta('township-official', NOW);

const fold = (events: readonly BenefitFileEvent[]): BenefitFileState => events.reduce(evolveFile, emptyFile());
const decideAll = (commands: BenefitFileCommand[], view = poor()): BenefitFileEvent[] => {
  const out: BenefitFileEvent[] = [];
  for (const c of commands) {
    const r = decideFile(c, view, fold(out));
    if (!r.ok) throw new Error(`${c.type} refused: ${r.error.code}`);
    out.push(...r.events);
  }
  return out;
};

const attrs = (memberKey: string, over = {}): BenefitFileCommand => ({
  type: 'RecordMemberAttributes',
  data: {
    householdId: HH,
    memberKey,
    labourCapacity: 'none',
    disabilityGrade: null,
    schooling: { level: 'secondary-vocational', schoolYear: 2018, boarding: false, evidenceRef: 'xj-2018-001' },
    dibao: false,
    extremePoverty: null,
    welfareJob: null,
    training: null,
    ...over,
  },
  meta: hhMeta('work-team', NOW),
});
const account = (n: string, reason = '开户'): BenefitFileCommand => ({
  type: 'SetHouseholdAccount',
  data: { householdId: HH, accountKey: accountKeyOf(n), masked: maskAccount(n), bank: '嵩县农商银行', reason },
  meta: tw,
});

describe('The registry view: members by salted key, standing from registration, exit and return', () => {
  it('a registered household: its county, village and member keys; no ID number', () => {
    const v = poor();
    expect(v).toMatchObject({ householdId: HH, countyId: 'song', villageId: 'vil-song-042', memberKeys: keys, standing: 'registered', exitYear: null });
    expect(JSON.stringify(v)).not.toContain(MEMBERS[0]!.idNumber);
  });
  it('an exited household, with its exit year; a return makes it registered again', () => {
    expect(registryViewOf(historyOf(TO_STATE.exited))).toMatchObject({ standing: 'exited', exitYear: 2018 });
    const returned = historyOf([...TO_STATE['return-notice'], steps.decideReturn()]);
    expect(registryViewOf(returned)).toMatchObject({ standing: 'registered', exitYear: null });
  });
  it('nothing registered: null', () => expect(registryViewOf([])).toBeNull());
  it('a household removed from the register is removed; a member removed leaves the member keys', () => {
    const reg = historyOf(TO_STATE.poor);
    const base = { householdId: HH, by: 'co-song-01', at: NOW, year: 2018 };
    expect(
      registryViewOf([
        ...reg,
        { type: 'HouseholdRemovedFromRegister', data: { ...base, countyId: 'song', villageId: 'vil-song-042', reason: 'moved-away', memberCount: 3, note: '' } },
      ]),
    ).toMatchObject({ standing: 'removed' });
    const left = registryViewOf([...reg, { type: 'HouseholdMemberRemoved', data: { ...base, memberKey: keys[2], idMasked: 'x', reason: 'deceased', recordRef: 'r' } }]);
    expect(left?.memberKeys).toEqual(keys.slice(0, 2));
  });
});

describe('The benefit file', () => {
  it('records a member’s attributes, and the facts make the student eligible for the 中职 grant', () => {
    const file = fold(decideAll([attrs(keys[2]!), account('6217 0000 1234 5678')]));
    const facts = benefitFactsOf(poor(), file);
    const p = BENEFIT_PROGRAMMES['secondary-vocational-grant'];
    const std = resolveStandards(p);
    const r = assessHousehold(p, facts, '2018', std.ok ? std.standards : {}, 'song');
    expect(r.ok && r.line).toMatchObject({ amount: 200_000, beneficiaries: [{ memberKey: keys[2] }] });
  });
  it('refuses attributes for someone not in the household', () =>
    expect(decideFile(attrs(keysOf([{ idNumber: '410325197503120000' }])[0]!), poor(), emptyFile())).toMatchObject({ ok: false, error: { code: 'BENEFIT_MEMBER_NOT_IN_FILE' } }));
  it('refuses any fact for a household not in the registry', () =>
    expect(decideFile(attrs(keys[0]!), null, emptyFile())).toMatchObject({ ok: false, error: { code: 'BENEFIT_NOT_IN_REGISTRY' } }));
  it('refuses any fact for a removed household', () =>
    expect(decideFile(attrs(keys[0]!), { ...poor(), standing: 'removed' }, emptyFile())).toMatchObject({ ok: false, error: { code: 'BENEFIT_HOUSEHOLD_REMOVED' } }));
  it('a renovation is accepted only for a house graded C or D, and by the county', () => {
    const accept_: BenefitFileCommand = {
      type: 'AcceptRenovation',
      data: { householdId: HH, acceptedOn: '2018-06-30', evidenceRef: 'ys-1' },
      meta: hhMeta('county-official', NOW),
    };
    expect(decideFile(accept_, poor(), emptyFile())).toMatchObject({ ok: false, error: { code: 'BENEFIT_HOUSE_NOT_DANGEROUS' } });
    const graded = fold(decideAll([{ type: 'GradeHousing', data: { householdId: HH, grade: 'D', assessedOn: '2017-05-01', evidenceRef: 'jd-1' }, meta: tw }]));
    expect(decideFile(accept_, poor(), graded)).toMatchObject({ ok: true });
    expect(decideFile({ ...accept_, meta: tw }, poor(), graded)).toMatchObject({ ok: false, error: { code: 'ACCESS_ROLE_NOT_ALLOWED' } });
  });
  it('relocates no more persons than the household has', () =>
    expect(decideFile({ type: 'JoinRelocationPlan', data: { householdId: HH, planRef: 'bq-1', persons: 4, movedOn: null }, meta: tw }, poor(), emptyFile())).toMatchObject({
      ok: false,
      error: { code: 'BENEFIT_RELOCATION_PERSONS' },
    }));
});

describe('The 一卡通 account: a fact with a history, never the number', () => {
  it('is parsed from the printed number and masked (its key: infra/personal-data/keys.unit.spec.ts)', () => {
    expect(accountNumberSchema.parse('6217 0000-1234 5678')).toBe('6217000012345678');
    expect(accountNumberSchema.safeParse('6217abc').success).toBe(false);
    expect(maskAccount('6217000012345678')).toBe('6217********5678');
  });
  it('records who set it and why; a change names the previous account and counts', () => {
    const events = decideAll([account('6217000012345678'), account('6222000087654321', '原卡销户，换新卡')]);
    expect(events[1]).toMatchObject({
      type: 'HouseholdAccountSet',
      data: { by: 'tw-song-01', reason: '原卡销户，换新卡', previousAccountKey: accountKeyOf('6217000012345678'), masked: '6222********4321' },
    });
    expect(fold(events).account).toMatchObject({ accountKey: accountKeyOf('6222000087654321'), changes: 1 });
    for (const e of events) {
      expect(eventRegistry.get(e.type)!.schema.safeParse(e.data).success).toBe(true);
      expect(JSON.stringify(e)).not.toMatch(/6217000012345678|6222000087654321/);
    }
  });
  it('refuses setting the account already on file', () => {
    const file = fold(decideAll([account('6217000012345678')]));
    expect(decideFile(account('6217000012345678'), poor(), file)).toMatchObject({ ok: false, error: { code: 'BENEFIT_ACCOUNT_UNCHANGED' } });
  });
  it('is set by the township or county finance, not a work team', () =>
    expect(decideFile({ ...account('6217000012345678'), meta: hhMeta('work-team', NOW) }, poor(), emptyFile())).toMatchObject({
      ok: false,
      error: { code: 'ACCESS_ROLE_NOT_ALLOWED' },
    }));
  it('accepts a good command with one event', () =>
    expect(decideFile(account('6217000012345678'), poor(), emptyFile())).toMatchObject({ ok: true, events: [{ type: 'HouseholdAccountSet' }] }));
});
