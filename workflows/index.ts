// The workflows a worker registers; bundled by the Temporal worker from here.
export { projectLifecycle } from './project-lifecycle';
export { exitRound } from './exit-round';
export { villageExit } from './village-exit';
export { countyExit } from './county-exit';
export { returnReview } from './return-review';
export { benefitRound } from './benefit-round';
export { identificationRound } from './identification';
export { complaintCase } from './complaint-case';
