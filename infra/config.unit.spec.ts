import { ConfigError, parseConfig } from './config';

describe('configuration from the environment', () => {
  it('defaults to the embedded stack on this machine', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      DATABASE_URL: 'postgres://tuopin_app@127.0.0.1:5432/tuopin',
      DATABASE_ADMIN_URL: 'postgres://postgres@127.0.0.1:5432/tuopin',
      NATS_URL: 'nats://127.0.0.1:4222',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'tuopin',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ TEMPORAL_ADDRESS: '' }).TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
  });

  it('takes real services', () => {
    const c = parseConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233', DATABASE_URL: 'postgres://app:secret@db.internal:5432/tuopin?sslmode=require' });
    expect(c.TEMPORAL_ADDRESS).toBe('temporal.internal:7233');
    expect(c.DATABASE_URL).toContain('sslmode=require');
  });

  it('stops with every bad variable named and its rule', () => {
    let err: unknown;
    try {
      parseConfig({ DATABASE_URL: 'mysql://x/y', TEMPORAL_ADDRESS: 'no-port', LOG_LEVEL: 'loud', TEMPORAL_UI_PORT: '70000' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message).toMatch(/DATABASE_URL: must be postgres:\/\/user@host:port\/database/);
    expect(message).toMatch(/TEMPORAL_ADDRESS: must be host:port/);
    expect(message).toMatch(/LOG_LEVEL: /);
    expect(message).toMatch(/TEMPORAL_UI_PORT: /);
    expect((err as ConfigError).code).toBe('CONFIG_INVALID');
  });
});
