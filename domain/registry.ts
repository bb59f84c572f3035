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

/**
 * Every event type the store may hold. Each aggregate exports its definitions; they are listed here
 * once so the store validates every write and read against one table.
 */
export const ALL_EVENTS: readonly EventDefinition<string, never>[] = [...(PROJECT_EVENTS as readonly unknown[] as never[]), ...(FUND_EVENTS as readonly unknown[] as never[]), ...(HOUSEHOLD_EVENTS as readonly unknown[] as never[]), ...(VILLAGE_EVENTS as readonly unknown[] as never[]), ...(COUNTY_EVENTS as readonly unknown[] as never[]), ...(REFUSAL_EVENTS as readonly unknown[] as never[]), ...(BENEFIT_ROUND_EVENTS as readonly unknown[] as never[]), ...(BENEFIT_FILE_EVENTS as readonly unknown[] as never[]), ...(PRIVACY_EVENTS as readonly unknown[] as never[])];

export const eventRegistry = buildRegistry(ALL_EVENTS);
