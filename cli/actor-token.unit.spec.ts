import { randomBytes } from 'node:crypto';
import { parseConfig } from '../infra/config';
import { issueToken, verifyToken } from '../infra/tokens/tokens';
import { developmentTokenKeys, generateTokenKeyPair, tokenKeysOf } from '../infra/tokens/token-keys';
import { assertionFor } from './actor-token';

const TOWNSHIP = { userId: 'wang.fang', role: 'township-official', countyId: 'song' } as const;
const production = { TUOPIN_MODE: 'production', MEMBER_KEY_SALT: 'a-salt-of-this-test-only', PII_MASTER_KEY: Buffer.alloc(32, 3).toString('base64') };

/** A refusal's English line, then its Chinese one. */
const IN_BOTH = expect.stringMatching(/^[^\n\u4e00-\u9fff]+\n[^\n]*[\u4e00-\u9fff]/);

describe('the CLI proves who acts with a token, not with --as/--role', () => {
  it('in development mode mints a short token for the flags with the development key', async () => {
    const token = await assertionFor(parseConfig({}), TOWNSHIP, {});
    const v = await verifyToken(developmentTokenKeys(), token!);
    expect(v.actor).toEqual(TOWNSHIP);
  });

  it('outside development mode refuses to act without TUOPIN_TOKEN', async () => {
    const cfg = parseConfig({ ...production, API_TOKEN_PUBLIC_KEYS: generateTokenKeyPair('k1', randomBytes(32)).public });
    await expect(assertionFor(cfg, TOWNSHIP, {})).rejects.toMatchObject({ code: 'CLI_TOKEN_REQUIRED', message: IN_BOTH });
  });

  it('sends TUOPIN_TOKEN when it speaks for the flags, and refuses one that speaks for someone else', async () => {
    const pair = generateTokenKeyPair('k1', randomBytes(32));
    const issuer = tokenKeysOf(parseConfig({ ...production, API_TOKEN_SIGNING_KEY: pair.signing }));
    const cfg = parseConfig({ ...production, API_TOKEN_PUBLIC_KEYS: pair.public });
    const own = (await issueToken(issuer, TOWNSHIP, 600)).token;
    expect(await assertionFor(cfg, TOWNSHIP, { TUOPIN_TOKEN: own })).toBe(own);
    await expect(assertionFor(cfg, { userId: 'qian.li', role: 'county-finance', countyId: 'song' }, { TUOPIN_TOKEN: own })).rejects.toMatchObject({
      code: 'CLI_ACTOR_MISMATCH',
      message: IN_BOTH,
    });
    await expect(assertionFor(cfg, TOWNSHIP, { TUOPIN_TOKEN: 'not-a-token' })).rejects.toMatchObject({ code: 'CLI_TOKEN_INVALID', message: IN_BOTH });
  });
});
