import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig } from './config';
import { temporalConnectionOptions } from './temporal-client';

describe('the connection to Temporal: TLS and API keys from the configuration', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tuopin-temporal-tls-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n');
  const crt = file('client.pem', '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n');
  const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n');

  it('connects in clear to the embedded dev server when nothing is set', () => {
    expect(temporalConnectionOptions(parseConfig({}))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('uses mTLS with the CA, the client pair and the server name it is given', () => {
    const o = temporalConnectionOptions(
      parseConfig({ TEMPORAL_TLS_CA_FILE: ca, TEMPORAL_TLS_CERT_FILE: crt, TEMPORAL_TLS_KEY_FILE: key, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }),
    );
    expect(o.tls?.serverNameOverride).toBe('temporal.internal');
    expect(o.tls?.serverRootCACertificate?.toString()).toContain('ca');
    expect(o.tls?.clientCertPair?.crt.toString()).toContain('client');
    expect(o.tls?.clientCertPair?.key.toString()).toContain('PRIVATE KEY');
    expect(o.apiKey).toBeUndefined();
  });

  it('sends an API key over TLS only', () => {
    expect(temporalConnectionOptions(parseConfig({ TEMPORAL_API_KEY: 'k-123' }))).toEqual({ address: '127.0.0.1:7233', tls: {}, apiKey: 'k-123' });
    expect(() => parseConfig({ TEMPORAL_API_KEY: 'k-123', TEMPORAL_TLS: 'off' })).toThrow(/TEMPORAL_TLS: is off while a TLS file or TEMPORAL_API_KEY is set/);
    expect(temporalConnectionOptions(parseConfig({ TEMPORAL_TLS: 'on' }))).toEqual({ address: '127.0.0.1:7233', tls: {} });
  });

  it('refuses half an mTLS pair and a file it cannot read, naming the variable', () => {
    expect(() => parseConfig({ TEMPORAL_TLS_CERT_FILE: crt })).toThrow(/TEMPORAL_TLS_KEY_FILE: mTLS needs both/);
    expect(() => temporalConnectionOptions(parseConfig({ TEMPORAL_TLS_CA_FILE: path.join(dir, 'missing.pem') }))).toThrow(ConfigError);
    expect(() => temporalConnectionOptions(parseConfig({ TEMPORAL_TLS_CA_FILE: path.join(dir, 'missing.pem') }))).toThrow(/TEMPORAL_TLS_CA_FILE: cannot read/);
  });
});
