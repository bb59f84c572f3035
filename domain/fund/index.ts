import type { Decider } from '../shared/decider';
import type { FundCommand } from './commands';
import { decide } from './decide';
import type { FundEvent } from './events';
import { evolve } from './evolve';
import { initialState, type FundState } from './state';

export * from './ids';
export * from './events';
export * from './commands';
export * from './state';
export * from './errors';
export { evolve, evolveAll } from './evolve';
export { decide } from './decide';
export * from './command-schemas';
export { fundFlow, FLOW_RULES, type FlowRule, type FundFlow, type FlowAllocation, type FlowPayment, type FlowPayee, type FlowCheck, type PositionedFundEvent } from './flow';

/** The fund decider as one value, for the command handler and deciderSpec. */
export const fundDecider: Decider<FundCommand, FundEvent, FundState> = { decide, evolve, initialState };
