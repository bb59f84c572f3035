import {
  ACTION_NAMES,
  ANOMALY_KIND_NAMES,
  CATEGORY_NAMES,
  CHECKLIST_ITEM_NAMES,
  COUNTY_EXIT_PHASE_NAMES,
  COUNTY_NAMES,
  ESCALATION_LEVEL_NAMES,
  EVENT_NAMES,
  EXIT_ROUND_PHASE_NAMES,
  EXIT_ROUND_STEP_NAMES,
  FUND_SOURCE_NAMES,
  HOUSEHOLD_STATUS_NAMES,
  MILESTONE_NAMES,
  PROJECT_STEP_NAMES,
  RETURN_REVIEW_PHASE_NAMES,
  ROLE_NAMES,
  STAGE_NAMES,
  VILLAGE_EXIT_PHASE_NAMES,
  type Name,
} from '../domain/names';

/**
 * The name tables the web UI shows, taken from domain/names (the one source): ui/vite.config.mts
 * puts them into the bundle at build time, as data (domain code itself is not bundled), and
 * ui/build.ts counts them in the bundle's digest, so a renamed role rebuilds the UI.
 * The UI reads them through ui/src/names.ts; the keys here are its groups.
 */
const { none: _none, ...stages } = STAGE_NAMES;
export const UI_NAME_TABLES = {
  role: ROLE_NAMES,
  stage: stages,
  category: CATEGORY_NAMES,
  source: FUND_SOURCE_NAMES,
  county: COUNTY_NAMES,
  event: EVENT_NAMES,
  milestone: MILESTONE_NAMES,
  level: ESCALATION_LEVEL_NAMES,
  step: PROJECT_STEP_NAMES,
  action: ACTION_NAMES,
  anomalyKind: ANOMALY_KIND_NAMES,
  householdStatus: HOUSEHOLD_STATUS_NAMES,
  exitPhase: EXIT_ROUND_PHASE_NAMES,
  exitStep: EXIT_ROUND_STEP_NAMES,
  villagePhase: VILLAGE_EXIT_PHASE_NAMES,
  countyPhase: COUNTY_EXIT_PHASE_NAMES,
  reviewPhase: RETURN_REVIEW_PHASE_NAMES,
  checklist: CHECKLIST_ITEM_NAMES,
} satisfies Readonly<Record<string, Readonly<Record<string, Name>>>>;

export const uiNamesJson = (): string => JSON.stringify(UI_NAME_TABLES);
