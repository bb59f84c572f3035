import { Client, Connection } from '@temporalio/client';
import type { Config } from './config';

/** A Temporal client on the configured cluster and namespace; close its connection when done. */
export const connectTemporal = async (cfg: Config): Promise<Client> => {
  const connection = await Connection.connect({ address: cfg.TEMPORAL_ADDRESS });
  return new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
};
