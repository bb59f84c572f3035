import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { readStream, streamId } from '../infra/eventstore';
import { fundFlow, type FundFlow, type PositionedFundEvent } from '../domain/fund';

/** Where a fund's money went (domain/fund/flow.ts), from the fund's own stream; null when there is no such fund. */
export const readFundFlow = async (db: Kysely<Database>, fundId: string): Promise<FundFlow | null> => {
  const events = await readStream(db, streamId('fund', fundId));
  return fundFlow(events.map((e) => ({ type: e.type, data: e.data, position: e.position }) as PositionedFundEvent));
};
