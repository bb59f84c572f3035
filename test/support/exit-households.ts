import { formatYuan } from '../../domain/shared/money';
import { composeResidentId } from '../../domain/household/resident-id';
import { COUNTY_SCOPED_ROLES, type Actor, type Role } from '../../domain/shared/actor';
import type { Guarantees } from '../../domain/household/guarantees';

/**
 * Made-up 嵩县 households for the exit tests: valid, fake ID numbers (region 410325), one file row
 * each, and the yearly records that put them above or below the line.
 */
export const COUNTY = 'song' as const;
export const ALL_MET: Guarantees = { food: true, clothing: true, compulsoryEducation: true, medicalInsurance: true, safeHousing: true };

export const actor = (role: Role, userId = `${role}-song-01`): Actor => (COUNTY_SCOPED_ROLES.includes(role) ? { userId, role, countyId: COUNTY } : { userId, role });

/** `serial` keeps ID numbers apart across tests of one database; three members a household. */
export const household = (villageId: string, serial: number, members = 3) => {
  const id = `hh-song-${villageId.split('-').pop()}${String(serial).padStart(4, '0')}`;
  const birth = (y: number) => `${y}0${1 + (serial % 9)}1${serial % 10}`;
  const seq = (k: number) => (serial * 7 + k) % 1000;
  const rel = ['householder', 'spouse', 'child', 'parent', 'other'] as const;
  return {
    householdId: id,
    countyId: COUNTY,
    villageId,
    registeredYear: 2015,
    members: Array.from({ length: members }, (_, k) => ({
      idNumber: composeResidentId('410325', birth(k === 2 ? 2005 : 1960 + (serial % 20) + k), seq(k)),
      relation: rel[Math.min(k, 4)]!,
    })),
    causes: ['lack-of-skills'],
    perCapitaIncome: 250_000,
    stableIncomeSource: false,
    guarantees: { ...ALL_MET, safeHousing: false },
  };
};

/** A household as the API's POST /registry/households takes it: the income a string in 元 (files keep whole fen). */
export const householdBody = (...args: Parameters<typeof household>) => {
  const h = household(...args);
  return { ...h, perCapitaIncome: formatYuan(h.perCapitaIncome) };
};

/** Yearly records as a person writes them: income in 元. */
export const aboveLine = (householdId: string, year = 2016) => ({ householdId, year, perCapitaIncome: '4200', stableIncomeSource: true, guarantees: ALL_MET });
export const belowLine = (householdId: string, year = 2016) => ({ householdId, year, perCapitaIncome: '2000', stableIncomeSource: false, guarantees: ALL_MET });
