import { ConfigError, DEVELOPMENT_MEMBER_KEY_SALT, DEVELOPMENT_PII_MASTER_KEY, parseConfig, runsAsDevelopment, saltFingerprint } from './config';

const PII = Buffer.alloc(32, 7).toString('base64');

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

  it('runs a time scale only in a namespace configured for simulation; a production namespace refuses it', () => {
    expect(() => parseConfig({ TUOPIN_SECONDS_PER_DAY: '0.05' })).toThrow(/TUOPIN_SECONDS_PER_DAY: namespace tuopin is not configured for simulation/);
    expect(() => parseConfig({ TEMPORAL_NAMESPACE: 'tuopin-prod', TUOPIN_SECONDS_PER_DAY: '0.05', TUOPIN_SIMULATION_NAMESPACES: 'tuopin-sim-*' })).toThrow(ConfigError);
    expect(parseConfig({ TEMPORAL_NAMESPACE: 'tuopin-sim-ab12', TUOPIN_SECONDS_PER_DAY: '0.05', TUOPIN_SIMULATION_NAMESPACES: 'tuopin-sim-*' }).TUOPIN_SECONDS_PER_DAY).toBe(0.05);
    expect(parseConfig({ TUOPIN_SECONDS_PER_DAY: '86400' }).TUOPIN_SECONDS_PER_DAY).toBe(86_400);
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ TEMPORAL_ADDRESS: '' }).TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
  });

  it('takes real services', () => {
    const c = parseConfig({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      DATABASE_URL: 'postgres://app:secret@db.internal:5432/tuopin?sslmode=require',
      MEMBER_KEY_SALT: 'a-salt-of-this-deployment-only',
      PII_MASTER_KEY: PII,
    });
    expect(c.TEMPORAL_ADDRESS).toBe('temporal.internal:7233');
    expect(c.DATABASE_URL).toContain('sslmode=require');
  });

  describe('secrets outside development mode', () => {
    const salt = 'a-salt-of-this-deployment-only';
    it('is development mode when every service is on loopback, or when asked; production otherwise', () => {
      expect(runsAsDevelopment(parseConfig({}))).toBe(true);
      expect(runsAsDevelopment(parseConfig({ DATABASE_URL: 'postgres://app@[::1]:5432/tuopin', NATS_URL: 'nats://localhost:4222' }))).toBe(true);
      expect(runsAsDevelopment(parseConfig({ API_HOST: '0.0.0.0', MEMBER_KEY_SALT: salt, PII_MASTER_KEY: PII }))).toBe(false);
      expect(runsAsDevelopment(parseConfig({ TUOPIN_MODE: 'production', MEMBER_KEY_SALT: salt, PII_MASTER_KEY: PII }))).toBe(false);
      expect(runsAsDevelopment(parseConfig({ API_HOST: '0.0.0.0', TUOPIN_MODE: 'development' }))).toBe(true);
    });

    it('refuses to start without PII_MASTER_KEY, or with the development key published in the source', () => {
      expect(() => parseConfig({ TUOPIN_MODE: 'production', MEMBER_KEY_SALT: 'a-salt-of-this-deployment-only' })).toThrow(/PII_MASTER_KEY: must be set outside development mode/);
      expect(() => parseConfig({ TUOPIN_MODE: 'production', MEMBER_KEY_SALT: 'a-salt-of-this-deployment-only', PII_MASTER_KEY: DEVELOPMENT_PII_MASTER_KEY })).toThrow(
        /PII_MASTER_KEY: is the development value/,
      );
      expect(() => parseConfig({ PII_MASTER_KEY: 'c2hvcnQ=' })).toThrow(/PII_MASTER_KEY: must be base64 of 32 bytes/);
      expect(parseConfig({ TUOPIN_MODE: 'production', MEMBER_KEY_SALT: 'a-salt-of-this-deployment-only', PII_MASTER_KEY: PII }).PII_MASTER_KEY).toHaveLength(32);
    });
    it('refuses to start without MEMBER_KEY_SALT, or with the development salt published in the source', () => {
      expect(() => parseConfig({ API_HOST: '0.0.0.0' })).toThrow(/MEMBER_KEY_SALT: must be set outside development mode/);
      expect(() => parseConfig({ TUOPIN_MODE: 'production' })).toThrow(/MEMBER_KEY_SALT/);
      expect(() => parseConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233', MEMBER_KEY_SALT: DEVELOPMENT_MEMBER_KEY_SALT })).toThrow(/development value/);
      expect(parseConfig({ TUOPIN_MODE: 'production', MEMBER_KEY_SALT: salt, PII_MASTER_KEY: PII }).MEMBER_KEY_SALT).toBe(salt);
    });

    it('fingerprints a secret without showing it', () => {
      expect(saltFingerprint(salt)).toMatch(/^[0-9a-f]{16}$/);
      expect(saltFingerprint(salt)).not.toBe(saltFingerprint(`${salt}x`));
      expect(saltFingerprint(salt)).not.toContain(salt.slice(0, 4));
    });
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

  it('tells each bad variable in English, then under it in Chinese with the variable as its label (describeIssue)', () => {
    const lines = (e: () => unknown): string[] => {
      try {
        e();
      } catch (err) {
        return (err as ConfigError).message.split('\n');
      }
      throw new Error('no ConfigError');
    };
    const bad = lines(() => parseConfig({ DATABASE_URL: 'nope', LOG_LEVEL: 'loud' }));
    const at = bad.indexOf('  DATABASE_URL: must be postgres://user@host:port/database');
    expect(at).toBeGreaterThan(0);
    expect(bad[at + 1]).toBe('    “DATABASE_URL”：格式应为 postgres://用户@主机:端口/数据库');
    expect(bad[bad.findIndex((l) => l.startsWith('  LOG_LEVEL: ')) + 1]).toMatch(/^ {4}“LOG_LEVEL”：须为以下之一：.*info/);
    const secret = lines(() => parseConfig({ TUOPIN_MODE: 'production' }));
    expect(secret).toContain('    “MEMBER_KEY_SALT”：开发模式以外必须设置（开发模式：TUOPIN_MODE=development，或各服务都在本机）');
    // Every refused variable has its Chinese line under its English one.
    for (const l of [...bad, ...secret].slice(1)) if (l.startsWith('    ')) expect(l).toMatch(/[\u4e00-\u9fff]/);
  });
});
