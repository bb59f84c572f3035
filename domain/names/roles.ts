import type { Role } from '../shared/actor';
import type { NameTable } from './name';

/** The roles as the programme's offices call them. */
export const ROLE_NAMES: NameTable<Role> = {
  'township-official': { zh: '乡镇干部', en: 'township official' },
  'county-official': { zh: '县扶贫办干部', en: 'county official' },
  'county-finance': { zh: '县财政局', en: 'county finance bureau' },
  'city-poverty-office': { zh: '市扶贫办', en: 'city poverty office' },
  inspector: { zh: '督查人员', en: 'inspector' },
  auditor: { zh: '审计人员', en: 'auditor' },
  administrator: { zh: '系统管理员', en: 'administrator' },
  'work-team': { zh: '驻村工作队', en: 'village work team' },
  'village-committee': { zh: '村两委', en: 'village committee (Party branch and villagers’ committee)' },
  'province-poverty-office': { zh: '省扶贫办', en: 'provincial poverty alleviation office' },
  'province-government': { zh: '省人民政府', en: 'provincial government' },
};
