import type { Decider } from '../shared/decider';
import type { BenefitRoundCommand } from './commands';
import { decide } from './decide';
import type { BenefitRoundEvent } from './events';
import { evolve } from './evolve';
import { initialState, type BenefitRoundState } from './state';

export * from './ids';
export * from './facts';
export * from './programmes';
export * from './eligibility';
export * from './errors';
export * from './events';
export * from './commands';
export * from './state';
export { decide, personKeysOf, type BenefitRules } from './decide';
export { evolve } from './evolve';

export const benefitRoundDecider: Decider<BenefitRoundCommand, BenefitRoundEvent, BenefitRoundState> = { decide: (c, s) => decide(c, s), evolve, initialState };
export * from './file-events';
export * from './file-decide';
export * from './household-facts';
export * from './account';
