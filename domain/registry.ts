import { buildRegistry, type EventDefinition } from './shared/events';
import { ProjectProposed } from './project/events';
import { HOUSEHOLD_EVENTS } from './household/events';

/**
 * Every event type the store may hold. Each aggregate exports its definitions; they are listed here
 * once so the store validates every write and read against one table.
 */
export const ALL_EVENTS: readonly EventDefinition<string, never>[] = [ProjectProposed as never, ...(HOUSEHOLD_EVENTS as readonly unknown[] as never[])];

export const eventRegistry = buildRegistry(ALL_EVENTS);
