// The workflows a worker registers; bundled by the Temporal worker from here.
//
// Each is loaded when a run first calls it, not with this module: every run evaluates this module
// and all it imports afresh in its own sandbox, so importing all eight here made each exit round
// evaluate the project lifecycle's, the benefit round's and the identification round's modules and
// zod schemas too (a quarter of the exit worker's workflow thread in the exit-county bench, 170–300 ms
// of it per run started on the loaded machine; issue 18 point 5). A run's code and its commands are
// unchanged: the module is the same, evaluated later inside the run.
type ProjectLifecycle = typeof import('./project-lifecycle');
type ExitRound = typeof import('./exit-round');
type VillageExit = typeof import('./village-exit');
type CountyExit = typeof import('./county-exit');
type ReturnReview = typeof import('./return-review');
type BenefitRound = typeof import('./benefit-round');
type Identification = typeof import('./identification');
type ComplaintCase = typeof import('./complaint-case');

export const projectLifecycle: ProjectLifecycle['projectLifecycle'] = (...args) => (require('./project-lifecycle') as ProjectLifecycle).projectLifecycle(...args);
export const exitRound: ExitRound['exitRound'] = (...args) => (require('./exit-round') as ExitRound).exitRound(...args);
export const villageExit: VillageExit['villageExit'] = (...args) => (require('./village-exit') as VillageExit).villageExit(...args);
export const countyExit: CountyExit['countyExit'] = (...args) => (require('./county-exit') as CountyExit).countyExit(...args);
export const returnReview: ReturnReview['returnReview'] = (...args) => (require('./return-review') as ReturnReview).returnReview(...args);
export const benefitRound: BenefitRound['benefitRound'] = (...args) => (require('./benefit-round') as BenefitRound).benefitRound(...args);
export const identificationRound: Identification['identificationRound'] = (...args) => (require('./identification') as Identification).identificationRound(...args);
export const complaintCase: ComplaintCase['complaintCase'] = (...args) => (require('./complaint-case') as ComplaintCase).complaintCase(...args);
