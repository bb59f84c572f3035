import type { Config } from '../config';

type Say = (line: string) => void;

/** Creates the database, runs the migrations and makes sure the JetStream stream exists. */
export const prepareStores = async (_cfg: Config, say: Say): Promise<void> => {
  say('stores: pending the event store');
};
