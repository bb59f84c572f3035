export * from './exit-tests';
export * from './events';
export * from './commands';
export * from './state';
export * from './evolve';
export * from './decide';
export * from './command-schemas';
import { makeCountyDecide } from './decide';
import { evolveCounty } from './evolve';
import { initialCountyState } from './state';

export const countyDecider = { decide: makeCountyDecide(), evolve: evolveCounty, initialState: initialCountyState };
