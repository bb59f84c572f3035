import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { tracing } from './tracing';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, settingIssue, type Config } from './config';

/** What both Temporal connections take (the client's `Connection` and the worker's `NativeConnection`). */
export interface TemporalConnectionOptions {
  readonly address: string;
  readonly tls?: { serverNameOverride?: string; serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer } };
  readonly apiKey?: string;
}

const pem = (name: string, file: string): Buffer => {
  try {
    return readFileSync(file);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new ConfigError([settingIssue(name, `cannot read ${file} (${why})`, `无法读取文件 ${file}（${why}）`)]);
  }
};

/**
 * The address, TLS and API key every connection to Temporal uses, from the configuration (one place,
 * so the workers, the CLI, the API and the stack's checks connect alike). TLS is on when asked
 * (TEMPORAL_TLS=on) or when a CA, a client certificate or an API key is set.
 */
export const temporalConnectionOptions = (cfg: Config): TemporalConnectionOptions => {
  const tlsOn =
    cfg.TEMPORAL_TLS === 'on' ||
    (cfg.TEMPORAL_TLS === undefined && [cfg.TEMPORAL_TLS_CA_FILE, cfg.TEMPORAL_TLS_CERT_FILE, cfg.TEMPORAL_API_KEY, cfg.TEMPORAL_TLS_SERVER_NAME].some((v) => v !== undefined));
  if (!tlsOn) return { address: cfg.TEMPORAL_ADDRESS };
  const tls = {
    ...(cfg.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: cfg.TEMPORAL_TLS_SERVER_NAME } : {}),
    ...(cfg.TEMPORAL_TLS_CA_FILE ? { serverRootCACertificate: pem('TEMPORAL_TLS_CA_FILE', cfg.TEMPORAL_TLS_CA_FILE) } : {}),
    ...(cfg.TEMPORAL_TLS_CERT_FILE && cfg.TEMPORAL_TLS_KEY_FILE
      ? { clientCertPair: { crt: pem('TEMPORAL_TLS_CERT_FILE', cfg.TEMPORAL_TLS_CERT_FILE), key: pem('TEMPORAL_TLS_KEY_FILE', cfg.TEMPORAL_TLS_KEY_FILE) } }
      : {}),
  };
  return { address: cfg.TEMPORAL_ADDRESS, tls, ...(cfg.TEMPORAL_API_KEY ? { apiKey: cfg.TEMPORAL_API_KEY } : {}) };
};

/** A Temporal client on the configured cluster and namespace; close its connection when done. */
export const connectTemporal = async (cfg: Config): Promise<Client> => {
  const connection = await Connection.connect(temporalConnectionOptions(cfg));
  // With tracing on, a start, signal or Update carries the caller's span to the workflow in Temporal's headers.
  return new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE, ...(tracing() ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } } : {}) });
};
