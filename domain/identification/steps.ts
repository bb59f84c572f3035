import { nextActorFor, nextStep, type ExitProcessRules, type NextActor } from '../exits/steps';
import { IDENTIFICATION_PHASE_NAMES, IDENTIFICATION_STEP_NAMES, type IdentificationPhaseId, type IdentificationStep } from '../names/identification';

/** The workflow's phases: the decider's, plus the waits its timers make (the notices running out) and the end with nobody left. */
export type IdentificationPhase = Exclude<IdentificationPhaseId, 'township-reviewed'>;

/**
 * Who may take which step of 识别, when: as the exit processes say it (domain/exits), so the API's
 * precheck, the workflow's gate and the 我的待办 list read one table. The deciders check again.
 */
export const IDENTIFICATION: ExitProcessRules<IdentificationStep, IdentificationPhase> = {
  code: 'IDENT',
  en: 'identification round',
  steps: {
    apply: { action: 'identification.apply', phases: ['applying'] },
    appraise: { action: 'identification.appraise', phases: ['applying'] },
    postVillageNotice: { action: 'identification.post-notice', phases: ['applying'] },
    object: { action: 'identification.object', phases: ['village-notice', 'township-notice'] },
    townshipReview: { action: 'identification.township-review', phases: ['township-review'] },
    announce: { action: 'identification.announce', phases: ['county-review'] },
  },
  stepNames: IDENTIFICATION_STEP_NAMES,
  phaseNames: IDENTIFICATION_PHASE_NAMES,
  next: {
    applying: 'appraise',
    'village-notice': 'townshipReview',
    'township-review': 'townshipReview',
    'township-notice': 'announce',
    'county-review': 'announce',
    announced: null,
    closed: null,
  },
  afterNotice: ['village-notice', 'township-notice'],
};

/** The step the round waits for; while applying it is the appraisal of what has come in, then the village notice. */
export const nextIdentificationStep = (phase: IdentificationPhase, statuses: readonly string[], noticeEndsAt?: string): NextActor | null => {
  if (phase !== 'applying') return nextStep(IDENTIFICATION, phase, noticeEndsAt);
  const step: IdentificationStep = statuses.includes('applied') ? 'appraise' : statuses.includes('appraised') ? 'postVillageNotice' : 'apply';
  return nextActorFor(IDENTIFICATION, step, phase, noticeEndsAt);
};
