import { randomBytes } from 'node:crypto';
import { parseConfig } from '../../infra/config';
import { generateTokenKeyPair, tokenKeysOf, type TokenKeys } from '../../infra/tokens/token-keys';

import { developmentTokenKeys } from '../../infra/tokens/token-keys';
import { actorAssertions } from '../../infra/tokens/actor-assertion';

export { developmentTokenKeys };

/** Keys under the development key's id that the API does not trust: a forger's. */
export const otherKeys = (): TokenKeys =>
  tokenKeysOf(
    parseConfig({
      TUOPIN_MODE: 'production',
      MEMBER_KEY_SALT: 'a-salt-of-this-test-only',
      PII_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
      API_TOKEN_SIGNING_KEY: generateTokenKeyPair('dev2', randomBytes(32)).signing,
    }),
  );

/** What a development-mode worker checks actors with: the development key, an assertion optional. */
export const developmentActors = () => actorAssertions({ keys: developmentTokenKeys(), required: false });
