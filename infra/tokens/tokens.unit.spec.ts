import { createPublicKey, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { parseTokenIssue, runTokenIssue, runTokenKeygen } from '../../cli/commands/token-issue';
import { parseConfig } from '../config';
import { issueToken, MAX_TOKEN_TTL_SECONDS, TokenError, verifyToken } from './tokens';
import { developmentTokenKeys, generateTokenKeyPair, tokenKeyFingerprints, tokenKeysOf, type TokenKeys } from './token-keys';

const pair = generateTokenKeyPair('2026-12', randomBytes(32));
const production = (over: Record<string, string> = {}) => ({
  TUOPIN_MODE: 'production',
  MEMBER_KEY_SALT: 'a-salt-of-this-deployment-only',
  PII_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
  ...over,
});
const keys: TokenKeys = tokenKeysOf(parseConfig(production({ API_TOKEN_SIGNING_KEY: pair.signing, API_TOKEN_PUBLIC_KEYS: pair.public })));
const actor = { userId: 'li.ming', role: 'county-official', countyId: 'song' } as const;

describe('bearer tokens (EdDSA, with a key id and a token id)', () => {
  it('carry user, role and county, and come back as the same actor with the token id', async () => {
    const issued = await issueToken(keys, actor, 60);
    expect(await verifyToken(keys, issued.token)).toEqual({ actor, jti: issued.jti });
    expect(JSON.parse(Buffer.from(issued.token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: '2026-12' });
  });

  it('are checked with the public key alone: the API cannot mint them', async () => {
    const apiOnly = tokenKeysOf(parseConfig(production({ API_TOKEN_PUBLIC_KEYS: pair.public })));
    expect(apiOnly.signing).toBeUndefined();
    expect((await verifyToken(apiOnly, (await issueToken(keys, actor, 60)).token)).actor).toEqual(actor);
    await expect(issueToken(apiOnly, actor, 60)).rejects.toBeInstanceOf(TokenError);
  });

  it('are refused when expired, signed by a key the API does not hold, by the development key in production, or not JWTs', async () => {
    await expect(verifyToken(keys, (await issueToken(keys, actor, 1, new Date(Date.now() - 10_000))).token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    const other = tokenKeysOf(parseConfig(production({ API_TOKEN_SIGNING_KEY: generateTokenKeyPair('2026-12', randomBytes(32)).signing })));
    await expect(verifyToken(keys, (await issueToken(other, actor, 60)).token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(verifyToken(keys, (await issueToken(developmentTokenKeys(), actor, 60)).token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(verifyToken(keys, 'a.b.c')).rejects.toBeInstanceOf(TokenError);
  });

  it('refuse HS256 (the old shared secret, or the public key used as one) and tokens without a jti or with a long life', async () => {
    const now = Math.floor(Date.now() / 1000);
    const hs = await new SignJWT({ role: 'auditor' })
      .setProtectedHeader({ alg: 'HS256', kid: '2026-12' })
      .setSubject('a.b')
      .setIssuer('tuopin')
      .setAudience('tuopin-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .setJti('abcdefgh-1')
      .sign(new TextEncoder().encode('tuopin-dev-api-jwt-secret-not-for-production'));
    await expect(verifyToken(keys, hs)).rejects.toMatchObject({ code: 'TOKEN_MALFORMED' });
    const signWith = (claims: Record<string, unknown>, exp: number) => {
      const jwt = new SignJWT({ role: 'auditor', ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: '2026-12' })
        .setSubject('a.b')
        .setIssuer('tuopin')
        .setAudience('tuopin-api')
        .setIssuedAt(now)
        .setExpirationTime(exp);
      return jwt.sign(keys.signing!.key);
    };
    await expect(verifyToken(keys, await signWith({}, now + 60))).rejects.toMatchObject({ code: 'TOKEN_MALFORMED' });
    await expect(verifyToken(keys, await signWith({ jti: 'abcdefgh-2' }, now + 30 * 86_400))).rejects.toMatchObject({ code: 'TOKEN_CLAIMS_INVALID' });
  });

  it('refuse and are never issued for system.* user ids', async () => {
    await expect(issueToken(keys, { userId: 'system.deadlines', role: 'administrator' }, 60)).rejects.toMatchObject({ code: 'TOKEN_CLAIMS_INVALID' });
    const forged = await new SignJWT({ role: 'administrator' })
      .setProtectedHeader({ alg: 'EdDSA', kid: '2026-12' })
      .setSubject('system.deadlines')
      .setIssuer('tuopin')
      .setAudience('tuopin-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .setJti('abcdefgh-3')
      .sign(keys.signing!.key);
    await expect(verifyToken(keys, forged)).rejects.toMatchObject({ code: 'TOKEN_CLAIMS_INVALID' });
    expect(() => parseTokenIssue(['--user', 'system.deadlines', '--role', 'administrator'])).toThrow(/system/);
  });

  it('are refused once revoked', async () => {
    const issued = await issueToken(keys, actor, 60);
    await expect(verifyToken(keys, issued.token, async (jti) => jti === issued.jti)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    expect((await verifyToken(keys, issued.token, async () => false)).jti).toBe(issued.jti);
  });

  it('are issued by the CLI for a county-scoped role only with its county, and for at most 12 hours', async () => {
    expect(parseTokenIssue(['--user', 'li.ming', '--role', 'county-official', '--county', '嵩县']).actor).toEqual(actor);
    expect(() => parseTokenIssue(['--user', 'li.ming', '--role', 'county-official'])).toThrow(/--county/);
    expect(() => parseTokenIssue(['--user', 'a.b', '--role', 'auditor', '--ttl', '13h'])).toThrow(/12h/);
    expect(() => parseTokenIssue(['--user', 'a.b', '--role', 'auditor', '--ttl', '30d'])).toThrow(/12h/);
    expect(MAX_TOKEN_TTL_SECONDS).toBe(12 * 3600);
    const issued = await runTokenIssue(['--user', 'audit.1', '--role', 'auditor', '--ttl', '2h'], keys);
    expect((await verifyToken(keys, issued.token)).actor).toEqual({ userId: 'audit.1', role: 'auditor' });
  });
});

describe('token keys from the configuration', () => {
  it('are the development key in development mode when none is set, and never outside it', () => {
    expect(tokenKeysOf(parseConfig({})).signing?.kid).toBe('dev');
    expect(() => tokenKeysOf(parseConfig(production()))).toThrow(/API_TOKEN_PUBLIC_KEYS: must be set outside development mode/);
    const dev = developmentTokenKeys();
    const devPublic = `dev=${(createPublicKey(dev.signing!.key).export({ format: 'jwk' }) as { x: string }).x}`;
    expect(() => tokenKeysOf(parseConfig(production({ API_TOKEN_PUBLIC_KEYS: devPublic })))).toThrow(/development key/);
    // The development key under another id is refused by its value.
    expect(() => tokenKeysOf(parseConfig(production({ API_TOKEN_PUBLIC_KEYS: devPublic.replace(/^dev=/, 'k1=') })))).toThrow(/development key/);
  });

  it('name a bad item and its rule, and print fingerprints, never keys', () => {
    expect(() => tokenKeysOf(parseConfig(production({ API_TOKEN_PUBLIC_KEYS: 'k1=short' })))).toThrow(/API_TOKEN_PUBLIC_KEYS: item 1/);
    const fp = tokenKeyFingerprints(keys);
    expect(fp).toEqual([expect.stringMatching(/^2026-12:[0-9a-f]{16}$/)]);
    expect(fp.join()).not.toContain(pair.public.split('=')[1]!.slice(0, 8));
  });

  it('keygen prints a pair that works: the signing half signs what the public half checks', async () => {
    const p = runTokenKeygen(['--kid', 'k2']);
    const issuer = tokenKeysOf(parseConfig(production({ API_TOKEN_SIGNING_KEY: p.signing })));
    const api = tokenKeysOf(parseConfig(production({ API_TOKEN_PUBLIC_KEYS: p.public })));
    expect((await verifyToken(api, (await issueToken(issuer, actor, 60)).token)).actor).toEqual(actor);
  });
});
