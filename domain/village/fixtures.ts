import type { CommandMeta, Role } from '../shared/actor';
import { makeDecide } from './decide';
import { evolve } from './evolve';
import { initialState, type VillageState } from './state';
import { CHECKLIST_ITEMS } from './checklist';
import type { VillageCommand } from './commands';
import type { VillageEvent } from './events';

export const VID = 'vil-song-042';
const users: Partial<Record<Role, string>> = { 'work-team': 'wt-song-01', 'township-official': 'tw-song-01', 'county-official': 'co-song-01', inspector: 'insp-01' };
export const vmeta = (role: Role, now: string): CommandMeta => ({
  actor: role === 'inspector' ? { userId: users[role]!, role } : { userId: users[role] ?? 'x-01', role, countyId: 'song' },
  now,
});
type Data<T extends VillageCommand['type']> = Omit<Extract<VillageCommand, { type: T }>['data'], 'villageId'>;
export const vcmd = <T extends VillageCommand['type']>(type: T, data: Data<T>, role: Role, now: string) =>
  ({ type, data: { villageId: VID, ...data }, meta: vmeta(role, now) }) as unknown as Extract<VillageCommand, { type: T }>;

export const VT = {
  reg: '2016-01-10T09:00:00+08:00',
  check: '2018-10-01T09:00:00+08:00',
  apply: '2018-11-01T09:00:00+08:00',
  review: '2018-11-05T09:00:00+08:00',
  notice: '2018-11-06T09:00:00+08:00',
  noticeEnds: '2018-11-13T09:00:00+08:00',
  during: '2018-11-10T09:00:00+08:00',
  announce: '2018-11-20T09:00:00+08:00',
};

export const vsteps = {
  register: () => vcmd('RegisterPoorVillage', { countyId: 'song', registeredYear: 2016 }, 'county-official', VT.reg),
  incidence: (poorRemaining: number, population: number, now = VT.check) => vcmd('RecordVillageIncidence', { year: 2018, poorRemaining, population }, 'township-official', now),
  checkAll: () =>
    CHECKLIST_ITEMS.map((i) =>
      vcmd(
        'CheckVillageItem',
        { item: i.id, result: i.id === 'passenger-bus' ? 'not-feasible' : i.id === 'collective-income' ? 'considered' : 'met', evidenceRef: `song-042-${i.id}-2018` },
        'work-team',
        VT.check,
      ),
    ),
  apply: () => vcmd('ApplyForVillageExit', { year: 2018 }, 'township-official', VT.apply),
  review: (approved = true) => vcmd('ReviewVillageExit', { approved, note: 'reviewed' }, 'county-official', VT.review),
  notice: (endsAt = VT.noticeEnds) => vcmd('PostVillageExitNotice', { endsAt }, 'township-official', VT.notice),
  objection: () => vcmd('RaiseVillageExitObjection', { objectionId: 'vobj-1', summary: 'the road is not hardened all the way' }, 'work-team', VT.during),
  resolve: () => vcmd('ResolveVillageExitObjection', { objectionId: 'vobj-1', outcome: 'dismissed', note: 'checked' }, 'county-official', VT.announce),
  announce: (now = VT.announce) => vcmd('AnnounceVillageExit', {}, 'county-official', now),
};

const ready = () => [vsteps.register(), vsteps.incidence(19, 1000), ...vsteps.checkAll()];
export const V_TO_STATE = {
  unregistered: [],
  poor: ready(),
  'poor-objection-open': [...ready(), vsteps.apply(), vsteps.review(), vsteps.notice(), vsteps.objection()],
  applied: [...ready(), vsteps.apply()],
  reviewed: [...ready(), vsteps.apply(), vsteps.review()],
  'in-notice': [...ready(), vsteps.apply(), vsteps.review(), vsteps.notice()],
  exited: [...ready(), vsteps.apply(), vsteps.review(), vsteps.notice(), vsteps.announce()],
} satisfies Record<string, VillageCommand[]>;

export const villageHistory = (commands: readonly VillageCommand[]): VillageEvent[] => {
  const decide = makeDecide();
  let s: VillageState = initialState();
  const out: VillageEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`fixture ${c.type} refused: ${r.error.code}`);
    out.push(...r.events);
    s = r.events.reduce(evolve, s);
  }
  return out;
};
