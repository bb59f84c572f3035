export * from './ids';
export * from './incidence';
export * from './checklist';
export * from './exit-tests';
export * from './events';
export * from './commands';
export * from './state';
export * from './evolve';
export * from './decide';
export * from './command-schemas';
import { makeVillageDecide } from './decide';
import { evolveVillage } from './evolve';
import { initialVillageState } from './state';

export const villageDecider = { decide: makeVillageDecide(), evolve: evolveVillage, initialState: initialVillageState };
