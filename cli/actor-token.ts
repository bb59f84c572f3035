import { decodeJwt } from 'jose';
import { runsAsDevelopment, type Config } from '../infra/config';
import type { Actor } from '../domain/shared/actor';
import { issueToken } from '../infra/tokens/tokens';
import { tokenKeysOf } from '../infra/tokens/token-keys';
import { ruleRefusal } from './args';

/** A development token lives long enough for one command and its retries. */
const DEV_TOKEN_TTL_SECONDS = 600;

/**
 * The actor assertion the CLI sends with a workflow command (infra/tokens/actor-assertion.ts): the
 * flags say who acts, the token proves it.
 *
 * - `TUOPIN_TOKEN` set (a token from `tuopin token issue`, which needs the issuer's private key):
 *   sent as it is; the flags must name the same user, role and county, or nothing is sent.
 * - unset, in development mode (loopback stack, tests, the demo): the CLI mints a 10-minute token
 *   for the flags with the development key, so `--as/--role` keep working on this machine.
 * - unset, in production: refused here, and the worker would refuse the command anyway.
 *
 * The token is read from the environment, not a flag, so it stays out of shell history and `ps`.
 */
export const assertionFor = async (cfg: Config, actor: Actor, env: Record<string, string | undefined> = process.env): Promise<string | undefined> => {
  const token = env.TUOPIN_TOKEN?.trim();
  if (token) {
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(token);
    } catch {
      throw ruleRefusal({
        code: 'CLI_TOKEN_INVALID',
        en: 'TUOPIN_TOKEN: is not a JWT (tuopin token issue prints one)',
        zh: 'TUOPIN_TOKEN 不是令牌（JWT，由 tuopin token issue 签发）',
      });
    }
    const named = { userId: claims.sub, role: claims.role, countyId: claims.county };
    if (named.userId !== actor.userId || named.role !== actor.role || (named.countyId ?? undefined) !== actor.countyId) {
      const token = `${String(named.userId)} (${String(named.role)}${named.countyId ? `, ${String(named.countyId)}` : ''})`;
      const flags = `${actor.userId} (${actor.role}${actor.countyId ? `, ${actor.countyId}` : ''})`;
      throw ruleRefusal({
        code: 'CLI_ACTOR_MISMATCH',
        en: `TUOPIN_TOKEN speaks for ${token}; --as/--role/--county name ${flags}`,
        zh: `TUOPIN_TOKEN 代表 ${token}，与 --as/--role/--county 所指的 ${flags} 不符`,
      });
    }
    return token;
  }
  if (!runsAsDevelopment(cfg)) {
    throw ruleRefusal({
      code: 'CLI_TOKEN_REQUIRED',
      en: 'outside development mode the CLI acts only with a signed token: export TUOPIN_TOKEN=$(tuopin token issue --user … --role …)',
      zh: '非开发模式下，命令行只凭签名的令牌办理，身份须由令牌证明：export TUOPIN_TOKEN=$(tuopin token issue --user … --role …)',
    });
  }
  const keys = tokenKeysOf(cfg);
  return keys.signing ? (await issueToken(keys, actor, DEV_TOKEN_TTL_SECONDS)).token : undefined;
};
