import type { CountyId } from '../domain/reference/counties';
import type { Actor, Role } from '../domain/shared/actor';

/**
 * The people of a county who take the plan's steps, each in their own role: separation of duties
 * needs distinct persons (the proposer may not review, the approver may not accept). Account ids
 * only; the Chinese titles are for the screen.
 */
export interface Cast {
  /** 县扶贫办: proposes projects. */
  readonly proposer: Actor;
  /** 乡镇: reviews proposals, posts exit notices, reviews exit lists. */
  readonly township: Actor;
  /** 县扶贫开发领导小组: approves, publishes notices, starts construction, settles. */
  readonly approver: Actor;
  /** 县验收组: accepts finished works (not the approver). */
  readonly acceptor: Actor;
  /** 县财政局: appropriates, allocates and pays. */
  readonly finance: Actor;
  /** 驻村工作队: assesses, checks and records households. */
  readonly workTeam: Actor;
  /** 村两委: the democratic appraisal (民主评议) of exits. */
  readonly villageCommittee: Actor;
  /** 县扶贫办 exit desk: announces exits, decides return reviews, applies for the county's exit. */
  readonly county: Actor;
  /** 市扶贫办. */
  readonly city: Actor;
  /** 省扶贫办: the provincial check (with its third-party evaluator) and the 摘帽 notice. */
  readonly province: Actor;
  /** 省人民政府: approves and announces 摘帽. */
  readonly provinceGovernment: Actor;
  /** 审计局. */
  readonly auditor: Actor;
}

const a = (userId: string, role: Role, countyId?: CountyId): Actor => (countyId ? { userId, role, countyId } : { userId, role });

export const castOf = (c: CountyId): Cast => ({
  proposer: a(`${c}.fupin.li`, 'county-official', c),
  township: a(`${c}.xiangzhen.wang`, 'township-official', c),
  approver: a(`${c}.lingdao.zhang`, 'county-official', c),
  acceptor: a(`${c}.yanshou.liu`, 'county-official', c),
  finance: a(`${c}.caizheng.qian`, 'county-finance', c),
  workTeam: a(`${c}.zhucun.chen`, 'work-team', c),
  villageCommittee: a(`${c}.cunweihui.sun`, 'village-committee', c),
  county: a(`${c}.tuichu.zhao`, 'county-official', c),
  city: a('city.fupin.zhou', 'city-poverty-office'),
  province: a('province.fupin.wu', 'province-poverty-office'),
  provinceGovernment: a('province.zhengfu.zheng', 'province-government'),
  auditor: a('city.shenji.sun', 'auditor'),
});
