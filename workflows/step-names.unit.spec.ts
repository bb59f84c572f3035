import type { z } from 'zod';
import { exitRoundStepSchema, type ExitRoundPhase } from './exit-round.messages';
import { villageExitStepSchema, type VillageExitPhase } from './village-exit.messages';
import { countyExitStepSchema, type CountyExitPhase } from './county-exit.messages';
import { returnReviewStepSchema, type ReturnReviewPhase } from './return-review.messages';
import { identificationStepSchema, type IdentificationPhase } from './identification.messages';
import {
  COUNTY_EXIT_PHASE_NAMES,
  COUNTY_EXIT_STEP_NAMES,
  EXIT_ROUND_PHASE_NAMES,
  EXIT_ROUND_STEP_NAMES,
  IDENTIFICATION_PHASE_NAMES,
  IDENTIFICATION_STEP_NAMES,
  RETURN_REVIEW_PHASE_NAMES,
  RETURN_REVIEW_STEP_NAMES,
  VILLAGE_EXIT_PHASE_NAMES,
  VILLAGE_EXIT_STEP_NAMES,
  type NameTable,
} from '../domain/names';

// A phase a workflow adds without a name here does not compile.
const phases: readonly NameTable<string>[] = [
  EXIT_ROUND_PHASE_NAMES satisfies NameTable<ExitRoundPhase>,
  VILLAGE_EXIT_PHASE_NAMES satisfies NameTable<VillageExitPhase>,
  COUNTY_EXIT_PHASE_NAMES satisfies NameTable<CountyExitPhase>,
  RETURN_REVIEW_PHASE_NAMES satisfies NameTable<ReturnReviewPhase>,
  IDENTIFICATION_PHASE_NAMES satisfies NameTable<IdentificationPhase>,
];

const stepTypes = (schema: { options: readonly z.ZodObject[] }): string[] => schema.options.map((o) => String((o.shape.type as z.ZodLiteral).value)).sort();

describe('every exit step a person can send has a name', () => {
  it('and every phase a status shows', () => expect(phases).toHaveLength(5));

  it.each([
    ['exit round', exitRoundStepSchema, EXIT_ROUND_STEP_NAMES],
    ['village exit', villageExitStepSchema, VILLAGE_EXIT_STEP_NAMES],
    ['county exit', countyExitStepSchema, COUNTY_EXIT_STEP_NAMES],
    ['return review', returnReviewStepSchema, RETURN_REVIEW_STEP_NAMES],
    ['identification round', identificationStepSchema, IDENTIFICATION_STEP_NAMES],
  ] as const)('%s', (_, schema, table: NameTable<string>) => {
    expect(Object.keys(table).sort()).toEqual(stepTypes(schema as unknown as { options: readonly z.ZodObject[] }));
  });
});
