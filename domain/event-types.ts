import { buildRegistry, type EventDefinition } from './shared/events';
import { PROJECT_EVENTS } from './project/events';
import { FUND_EVENTS } from './fund/events';
import { HOUSEHOLD_EVENTS } from './household/events';
import { VILLAGE_EVENTS } from './village/events';
import { COUNTY_EVENTS } from './county/events';
import { REFUSAL_EVENTS } from './refusal/events';
import { BENEFIT_ROUND_EVENTS } from './benefit/events';
import { BENEFIT_FILE_EVENTS } from './benefit/file-events';
import { PRIVACY_EVENTS } from './privacy/events';
import { INTEGRATION_EVENTS } from './integration/events';
import { IDENTIFICATION_EVENTS } from './identification/events';
import { COMPLAINT_EVENTS } from './complaint/events';

// Each aggregate's list is typed by its own data; the store's table holds them as one opaque type.
const widen = (defs: readonly unknown[]): readonly EventDefinition<string, never>[] => defs as readonly EventDefinition<string, never>[];

/**
 * Every event type the store may hold. Each aggregate exports its definitions; they are listed here
 * once so the store validates every write and read against one table.
 */
export const ALL_EVENTS: readonly EventDefinition<string, never>[] = [
  PROJECT_EVENTS,
  FUND_EVENTS,
  HOUSEHOLD_EVENTS,
  VILLAGE_EVENTS,
  COUNTY_EVENTS,
  REFUSAL_EVENTS,
  BENEFIT_ROUND_EVENTS,
  BENEFIT_FILE_EVENTS,
  PRIVACY_EVENTS,
  INTEGRATION_EVENTS,
  IDENTIFICATION_EVENTS,
  COMPLAINT_EVENTS,
].flatMap(widen);

export const eventRegistry = buildRegistry(ALL_EVENTS);
