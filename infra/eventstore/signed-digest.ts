import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../database';
import { canonicalJson } from './canonical';
import { EventStoreError } from './errors';
import { verify, type StreamPoint, type VerifyOptions, type VerifyReport } from './verify';

/**
 * A signed store digest: every stream's (version, head hash) at one moment, signed with an Ed25519
 * key kept outside the database. Whoever holds one can later detect a rewritten history that
 * recomputes cleanly (a superuser who changes an event and every later hash and the head), a cut
 * tail or a removed stream: `tuopin verify --against <file> --public-key <file>`.
 *
 * The signature covers the UTF-8 bytes of canonicalJson(body) (infra/eventstore/README.md).
 */
export const SIGNED_DIGEST_FORMAT = 'tuopin-signed-digest/1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const bodySchema = z
  .object({
    signedAt: z.iso.datetime(),
    keyId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits'),
    storeDigest: hex64,
    streams: z.number().int().nonnegative(),
    events: z.number().int().nonnegative(),
    /** [stream id, version, head hash hex], in stream id order. */
    points: z.array(z.tuple([z.string().min(1), z.number().int().positive(), hex64])),
  })
  .strict();
export const signedDigestSchema = z.object({ format: z.literal(SIGNED_DIGEST_FORMAT), body: bodySchema, signature: z.base64() }).strict();
export type SignedDigest = z.infer<typeof signedDigestSchema>;

export class SignedDigestError extends EventStoreError {}

/** sha256 of the public key's SPKI DER, first 16 hex digits: names the key a digest was signed with. */
export const keyIdOf = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);

export const generateDigestKeys = (): { privatePem: string; publicPem: string; keyId: string } => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
};

const keyOf = (pem: string, kind: 'private' | 'public'): KeyObject => {
  let key: KeyObject;
  try {
    key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch (e) {
    throw new SignedDigestError('DIGEST_KEY_INVALID', `not a PEM ${kind} key: ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SignedDigestError('DIGEST_KEY_INVALID', `the ${kind} key must be Ed25519, not ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
};

/** Signs a verified report (verify with collectPoints). A broken store is not signed: the digest would vouch for a fault. */
export const signReport = (report: VerifyReport, privatePem: string, signedAt = new Date()): SignedDigest => {
  if (!report.ok) throw new SignedDigestError('STORE_BROKEN', `the store does not verify (${report.broken} broken, first ${JSON.stringify(report.firstBroken)}); nothing signed`);
  if (!report.points) throw new SignedDigestError('DIGEST_POINTS_MISSING', 'verify with collectPoints to sign');
  const privateKey = keyOf(privatePem, 'private');
  const body = {
    signedAt: signedAt.toISOString(),
    keyId: keyIdOf(createPublicKey(privateKey)),
    storeDigest: report.digest,
    streams: report.streams,
    events: report.events,
    points: report.points,
  };
  return { format: SIGNED_DIGEST_FORMAT, body, signature: sign(null, Buffer.from(canonicalJson(body), 'utf8'), privateKey).toString('base64') };
};

/**
 * Parses a signed digest and checks its signature against a public key the holder trusts (never
 * one carried by the digest itself); answers its points keyed by stream id.
 */
export const checkSignedDigest = (document: unknown, publicPem: string): { body: SignedDigest['body']; points: Map<string, StreamPoint> } => {
  const parsed = signedDigestSchema.safeParse(document);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new SignedDigestError('SIGNED_DIGEST_INVALID', `signed digest: ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`, i?.path.join('.'));
  }
  const { body, signature } = parsed.data;
  const publicKey = keyOf(publicPem, 'public');
  if (keyIdOf(publicKey) !== body.keyId) {
    throw new SignedDigestError('DIGEST_KEY_MISMATCH', `the digest was signed with key ${body.keyId}, the public key given is ${keyIdOf(publicKey)}`);
  }
  if (!verifySignature(null, Buffer.from(canonicalJson(body), 'utf8'), publicKey, Buffer.from(signature, 'base64'))) {
    throw new SignedDigestError('DIGEST_SIGNATURE_BAD', 'the signature does not match the digest: it was altered or signed with another key');
  }
  const points = new Map<string, StreamPoint>();
  for (const [streamId, version, head] of body.points) points.set(streamId, { version, head });
  return { body, points };
};

/**
 * Verify on one snapshot (REPEATABLE READ, read only): streams, heads and events are read as of
 * one moment, so appends made meanwhile cannot show as head mismatches, and a digest signed from
 * it is one consistent state of the store.
 */
export const verifySnapshot = (db: Kysely<Database>, opts: VerifyOptions = {}): Promise<VerifyReport> =>
  db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => verify(trx, opts));
