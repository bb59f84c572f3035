import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { eventIdFor, eventMetadata, handleCommand, readStream } from '../infra/eventstore';
import { describePlan, integrationDecider, integrationStreamId, type AdoptIntegrationPlan, type IntegrationEvent } from '../domain/integration';
import { UpdateRefused } from './errors';

/** A county's 整合方案 as people read it: the plan, its summary in zh (万元), and where the store holds it. */
export type IntegrationPlanView = IntegrationEvent['data'] & { readonly summaryZh: string; readonly position: number };

/** The adopted plan of a county for a year, or null when none is recorded. */
export const integrationPlan = async (db: Kysely<Database>, countyId: string, year: number): Promise<IntegrationPlanView | null> => {
  const e = (await readStream(db, integrationStreamId(countyId, year))).find((x) => x.type === 'IntegrationPlanAdopted');
  if (!e) return null;
  const data = e.data as IntegrationEvent['data'];
  return { ...data, summaryZh: describePlan(data), position: e.position };
};

/**
 * 统筹整合, the same for the CLI and the API: a poor county's finance bureau records the 整合方案 its
 * government adopted, the money moved out of each original channel into one pool (domain/integration).
 * A budget act, not a process: one decision on the plan's stream, refused (UpdateRefused) when the
 * rule says no. The same request again (its request id, or the same plan) is answered with the first.
 */
export const adoptIntegrationPlan = async (
  db: Kysely<Database>,
  command: AdoptIntegrationPlan,
  requestId?: string,
): Promise<IntegrationPlanView & { readonly repeated: boolean }> => {
  const { countyId, year } = command.data;
  const request = requestId ?? createHash('sha256').update(JSON.stringify(command.data)).digest('hex').slice(0, 32);
  const correlationId = `integration:${countyId}:${year}:${request}`;
  const r = await handleCommand(db, integrationStreamId(countyId, year), integrationDecider, command, {
    eventId: (i) => eventIdFor(correlationId, 'adopt', i),
    metadata: () => eventMetadata({ actor: command.meta.actor, countyId, correlationId, at: command.meta.now }),
  });
  if (!r.ok) throw new UpdateRefused(r.error);
  const data = r.events[0]!.data;
  return { ...data, summaryZh: describePlan(data), position: r.appended[0]!.position, repeated: r.duplicate };
};
