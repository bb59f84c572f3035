import type { Decider } from '../shared/decider';
import type { ProjectCommand } from './commands';
import { decide } from './decide';
import type { ProjectEvent } from './events';
import { evolve } from './evolve';
import { initialState, type ProjectState } from './state';

export * from './ids';
export * from './events';
export * from './commands';
export * from './state';
export * from './errors';
export * from './policies';
export { evolve } from './evolve';
export { decide, makeDecide } from './decide';
export { nextActor, STAGE_STEP, DEADLINE_KINDS, type DeadlineKind, type NextActor, type StageActor, type ActiveStatus } from './next-actor';
export { offeredSteps, offeredPayments, type OfferedStep, type OfferedPayment, type OfferableStep } from './offered-steps';
export { stepsAtStage, projectStepGuide, type StepGuide, type StepField, type StepCommand } from './step-guide';

/** The project decider under the plan's policies as one value, for the command handler (a running process decides with its own policies: makeDecide). */
export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState> = { decide, evolve, initialState };
