import { COUNTIES, type CountyId } from '../domain/reference/counties';
import { actorSchema, type Actor, type Role } from '../domain/shared/actor';

/** A person the development sign-in offers: an account id, a display name, the role and county it acts as. */
export interface DirectoryEntry extends Actor {
  readonly name: string;
}

/** The people the tests and the demo act as in 嵩县 (test/support/project-walk.ts), under their own names. */
const SONG_PEOPLE: readonly DirectoryEntry[] = [
  { userId: 'li.ming', name: '李明', role: 'county-official', countyId: 'song' },
  { userId: 'zhang.wei', name: '张伟', role: 'county-official', countyId: 'song' },
  { userId: 'liu.yang', name: '刘洋', role: 'county-official', countyId: 'song' },
  { userId: 'wang.fang', name: '王芳', role: 'township-official', countyId: 'song' },
  { userId: 'zhao.lei', name: '赵磊', role: 'township-official', countyId: 'song' },
  { userId: 'qian.li', name: '钱丽', role: 'county-finance', countyId: 'song' },
  { userId: 'w.team', name: '驻村工作队', role: 'work-team', countyId: 'song' },
];

/** Every other county: two officials (proposer ≠ approver), two township officials, finance and a work team. */
const PER_COUNTY: readonly { readonly prefix: string; readonly role: Role; readonly title: string }[] = [
  { prefix: 'off1', role: 'county-official', title: '扶贫办甲' },
  { prefix: 'off2', role: 'county-official', title: '扶贫办乙' },
  { prefix: 'twp1', role: 'township-official', title: '乡镇甲' },
  { prefix: 'twp2', role: 'township-official', title: '乡镇乙' },
  { prefix: 'fin', role: 'county-finance', title: '财政局' },
  { prefix: 'team', role: 'work-team', title: '驻村工作队' },
];

const PREFECTURE: readonly DirectoryEntry[] = [
  { userId: 'zhou.shi', name: '周实（市扶贫办）', role: 'city-poverty-office' },
  { userId: 'sun.jian', name: '孙检（督查）', role: 'inspector' },
  { userId: 'zheng.sheng', name: '郑省（省扶贫办）', role: 'province-poverty-office' },
  { userId: 'wei.sheng', name: '卫省（省人民政府）', role: 'province-government' },
  { userId: 'he.shen', name: '何审（审计）', role: 'auditor' },
];

/**
 * The seeded directory of the development sign-in: synthetic accounts, never real people. A
 * deployment signs people in with its own issuer's tokens instead (config API_DEV_SIGN_IN).
 */
export const DEV_DIRECTORY: readonly DirectoryEntry[] = [
  ...SONG_PEOPLE,
  ...COUNTIES.filter((c) => c.id !== 'song').flatMap((c) =>
    PER_COUNTY.map((p) => ({ userId: `${p.prefix}.${c.id}`, name: `${c.zh}${p.title}`, role: p.role, countyId: c.id as CountyId })),
  ),
  ...PREFECTURE,
];

// Each entry must be an actor a token may carry: checked once, at load.
for (const e of DEV_DIRECTORY) actorSchema.parse({ userId: e.userId, role: e.role, ...(e.countyId ? { countyId: e.countyId } : {}) });

export const directoryEntry = (userId: string): DirectoryEntry | undefined => DEV_DIRECTORY.find((e) => e.userId === userId);
