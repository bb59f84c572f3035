import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError, runsAsDevelopment, settingIssue, type Config } from '../config';

/**
 * The keys bearer tokens are signed and checked with: Ed25519 (EdDSA), each under a key id (`kid`).
 * The API holds public keys only, so a machine that verifies tokens cannot mint them; the issuer
 * (`tuopin token issue`, or an identity service) holds the private key. Rotation: add the new public
 * key beside the old one, switch the issuer to the new private key, drop the old public key once the
 * last token it signed has expired (at most MAX_TOKEN_TTL_SECONDS later).
 */
export interface TokenKeys {
  /** The key this process signs with; absent where tokens are only verified. */
  readonly signing?: { readonly kid: string; readonly key: KeyObject };
  /** Every key a token may be signed with, by key id. */
  readonly verifying: ReadonlyMap<string, KeyObject>;
}

const KID = /^[A-Za-z0-9._-]{1,64}$/;
const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;
// DER prefixes of an Ed25519 private key (PKCS#8) and public key (SPKI) around the raw 32 bytes.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const privateFromSeed = (seed: Buffer): KeyObject => createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
const publicFromRaw = (raw: Buffer): KeyObject => createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
/** The raw 32 bytes of an Ed25519 public key, base64url: what API_TOKEN_PUBLIC_KEYS lists. */
export const rawPublicKey = (key: KeyObject): string => (key.export({ format: 'jwk' }) as { x: string }).x;

/**
 * The development key: derived from a public string, so anyone can mint tokens with it. It is used
 * only in development mode and refused everywhere else, by its id and by its value.
 */
export const DEVELOPMENT_KID = 'dev';
const DEVELOPMENT_SEED = createHash('sha256').update('tuopin-development-token-key-not-for-production').digest();
const DEVELOPMENT_PRIVATE = privateFromSeed(DEVELOPMENT_SEED);
const DEVELOPMENT_PUBLIC_RAW = rawPublicKey(createPublicKey(DEVELOPMENT_PRIVATE));
export const developmentTokenKeys = (): TokenKeys => ({
  signing: { kid: DEVELOPMENT_KID, key: DEVELOPMENT_PRIVATE },
  verifying: new Map([[DEVELOPMENT_KID, createPublicKey(DEVELOPMENT_PRIVATE)]]),
});

/** "kid=<base64url 32 bytes>,kid2=…" into pairs, or the variable's name and what is wrong. */
const pairsOf = (name: string, text: string): [string, Buffer][] =>
  text.split(',').map((item, i) => {
    const [kid, value, ...more] = item.trim().split('=');
    if (!kid || !KID.test(kid) || value === undefined || more.length > 0 || !B64URL_32.test(value)) {
      throw new ConfigError([
        settingIssue(
          name,
          `item ${i + 1} must be <key id>=<32 bytes, base64url> (tuopin token keygen prints a pair)`,
          `第 ${i + 1} 项须为 <密钥编号>=<32 字节的 base64url>（tuopin token keygen 生成一对）`,
        ),
      ]);
    }
    return [kid, Buffer.from(value, 'base64url')];
  });

/** A new key pair for API_TOKEN_SIGNING_KEY (the issuer) and API_TOKEN_PUBLIC_KEYS (the API). */
export const generateTokenKeyPair = (kid: string, seed: Buffer): { signing: string; public: string } => {
  if (!KID.test(kid)) throw new ConfigError([settingIssue('kid', 'must be 1-64 of A-Z a-z 0-9 . _ -', '须为 1 至 64 个字母、数字或 . _ -')]);
  return { signing: `${kid}=${seed.toString('base64url')}`, public: `${kid}=${rawPublicKey(createPublicKey(privateFromSeed(seed)))}` };
};

/**
 * The token keys this configuration names. In development mode, with none set, the development
 * key; outside it, the keys must be set and must not be the development key, or start-up stops.
 */
export const tokenKeysOf = (cfg: Config): TokenKeys => {
  const dev = runsAsDevelopment(cfg);
  if (!cfg.API_TOKEN_SIGNING_KEY && !cfg.API_TOKEN_PUBLIC_KEYS) {
    if (dev) return developmentTokenKeys();
    throw new ConfigError([
      settingIssue(
        'API_TOKEN_PUBLIC_KEYS',
        'must be set outside development mode (the API verifies tokens with it; `tuopin token keygen` prints a key pair)',
        '开发模式以外必须设置（API 用它验证令牌；tuopin token keygen 生成密钥对）',
      ),
    ]);
  }
  let signing: TokenKeys['signing'];
  if (cfg.API_TOKEN_SIGNING_KEY) {
    const pairs = pairsOf('API_TOKEN_SIGNING_KEY', cfg.API_TOKEN_SIGNING_KEY);
    if (pairs.length !== 1) throw new ConfigError([settingIssue('API_TOKEN_SIGNING_KEY', 'must name exactly one key', '只能指定一个密钥')]);
    const [kid, seed] = pairs[0]!;
    signing = { kid, key: privateFromSeed(seed) };
  }
  const verifying = new Map<string, KeyObject>(
    cfg.API_TOKEN_PUBLIC_KEYS ? pairsOf('API_TOKEN_PUBLIC_KEYS', cfg.API_TOKEN_PUBLIC_KEYS).map(([kid, raw]) => [kid, publicFromRaw(raw)]) : [],
  );
  if (signing && !verifying.has(signing.kid)) verifying.set(signing.kid, createPublicKey(signing.key));
  if (!dev) {
    const devUsed = [...verifying].some(([kid, key]) => kid === DEVELOPMENT_KID || rawPublicKey(key) === DEVELOPMENT_PUBLIC_RAW);
    if (devUsed)
      throw new ConfigError([
        settingIssue(
          'API_TOKEN_PUBLIC_KEYS / API_TOKEN_SIGNING_KEY',
          'the development key (public in the source) is refused outside development mode',
          '开发模式以外不接受开发用密钥（源代码中公开）',
        ),
      ]);
  }
  return signing ? { signing, verifying } : { verifying };
};

/** What start-up logs instead of a key: its id and the first bytes of its public key's digest. */
export const tokenKeyFingerprints = (keys: TokenKeys): string[] =>
  [...keys.verifying].map(([kid, key]) => `${kid}:${createHash('sha256').update(rawPublicKey(key)).digest('hex').slice(0, 16)}`);
