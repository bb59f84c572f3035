import { readFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { readStream, streamId } from '../infra/eventstore';
import { checkSignedDigest } from '../infra/eventstore/signed-digest';
import { leafHash, merkleProof, parseReceiptCode, receiptCode, receiptNonce, receiptTree, rootFromProof, type ProofStep, type ReceiptLeaf } from '../infra/receipts/merkle';
import { programmeOf, type BenefitRoundEventOf } from '../domain/benefit';
import { evolveAll } from '../domain/benefit/evolve';
import { initialState } from '../domain/benefit/state';

/**
 * Receipts (回执): the Merkle root of a closed round's paid list, published with the village notice,
 * and the check anyone can make with a household's receipt code. The check answers only about that
 * household: its own line, the sibling hashes on its path and the root; never another household.
 */

export interface PublishedRoot {
  readonly roundId: string;
  readonly programmeId: string;
  readonly programme: { readonly zh: string; readonly en: string };
  readonly period: string;
  readonly countyId: string;
  readonly root: string;
  readonly leafCount: number;
  readonly paidFen: number;
  readonly algorithm: string;
  readonly publishedAt: string;
  /** Where the root sits in the store: a signed store digest covering this stream at or past this version covers the root. */
  readonly streamId: string;
  readonly streamVersion: number;
}

interface RoundRead {
  readonly published: PublishedRoot;
  readonly leaves: readonly ReceiptLeaf[];
}

const readRound = async (db: Kysely<Database>, roundId: string): Promise<RoundRead | null> => {
  const stream = streamId('benefit', roundId);
  const events = await readStream(db, stream, { limit: 1_000_000 });
  const pub = events.find((e) => e.type === 'BenefitReceiptsPublished');
  const header = events.find((e) => e.type === 'BenefitRoundDrafted')?.data as BenefitRoundEventOf<'BenefitRoundDrafted'>['data'] | undefined;
  if (!pub || !header) return null;
  const p = pub.data as BenefitRoundEventOf<'BenefitReceiptsPublished'>['data'];
  const state = evolveAll(
    events.filter((e) => e.position <= pub.position).map((e) => ({ type: e.type, data: e.data }) as never),
    initialState(),
  );
  if (state.stage === 'none') return null;
  const leaves = [...state.lines.values()]
    .filter((l) => l.status === 'paid')
    .map((l) => ({
      roundId,
      householdId: l.householdId,
      programmeId: header.programmeId,
      period: header.period,
      amountFen: l.amount,
      nonce: receiptNonce(l.accountKey!, l.paymentId!),
    }));
  const prog = programmeOf(header.programmeId);
  return {
    published: {
      roundId,
      programmeId: header.programmeId,
      programme: { zh: prog?.zh ?? header.programmeId, en: prog?.en ?? header.programmeId },
      period: header.period,
      countyId: header.countyId,
      root: p.root,
      leafCount: p.leafCount,
      paidFen: p.paid,
      algorithm: p.algorithm,
      publishedAt: p.at,
      streamId: stream,
      streamVersion: pub.streamVersion,
    },
    leaves,
  };
};

/** The root published when the round closed, or null (unknown round, or not closed yet). */
export const publishedRoot = async (db: Kysely<Database>, roundId: string): Promise<PublishedRoot | null> => (await readRound(db, roundId))?.published ?? null;

/** Each paid household's receipt code, for the officials who hand them out (need-to-know: the code is the household's key to its leaf). */
export const receiptCodeOf = (roundId: string, householdId: string, accountKey: string, paymentId: string): string =>
  receiptCode(roundId, householdId, receiptNonce(accountKey, paymentId));

/** A signed store digest the server trusts, and the public key it was checked with (files named by configuration). */
export interface ReceiptDigestSource {
  readonly file: string;
  readonly publicKeyFile: string;
}

export type DigestCoverage =
  { readonly covered: true; readonly signedAt: string; readonly keyId: string; readonly streamVersion: number } | { readonly covered: false; readonly reason: string };

/** Is the root's event covered by the signed digest: the digest names the round's stream at or past it, and the store's head there is the signed one. */
const coverage = async (db: Kysely<Database>, published: PublishedRoot, source: ReceiptDigestSource | undefined): Promise<DigestCoverage> => {
  if (!source) return { covered: false, reason: 'no signed store digest is configured on this server' };
  const d = checkSignedDigest(JSON.parse(await readFile(source.file, 'utf8')), await readFile(source.publicKeyFile, 'utf8'));
  const point = d.points.get(published.streamId);
  if (!point || point.version < published.streamVersion) return { covered: false, reason: `the signed digest of ${d.body.signedAt} predates the published root` };
  const { rows } = await sql<{
    hash: string;
  }>`SELECT encode(hash, 'hex') AS hash FROM events WHERE stream_id = ${published.streamId} AND stream_version = ${point.version}`.execute(db);
  if (rows[0]?.hash !== point.head) return { covered: false, reason: 'the store no longer matches the signed digest at this stream' };
  return { covered: true, signedAt: d.body.signedAt, keyId: d.body.keyId, streamVersion: point.version };
};

export type ReceiptCheck =
  | {
      readonly valid: true;
      readonly roundId: string;
      readonly householdId: string;
      readonly programmeId: string;
      readonly programme: { readonly zh: string; readonly en: string };
      readonly period: string;
      readonly amountFen: number;
      readonly leaf: string;
      readonly proof: readonly ProofStep[];
      readonly root: string;
      readonly publishedAt: string;
      readonly algorithm: string;
      readonly digest: DigestCoverage;
    }
  | { readonly valid: false; readonly reason: { readonly zh: string; readonly en: string } };

const invalid = (zh: string, en: string): ReceiptCheck => ({ valid: false, reason: { zh, en } });

/**
 * Checks a receipt code: the leaf it opens is in the published root (the proof recomputes it) and
 * the root is covered by the signed store digest. A code that does not open a leaf (tampered,
 * mistyped, another round) answers only that it is not valid.
 */
export const verifyReceipt = async (db: Kysely<Database>, code: string, digest?: ReceiptDigestSource): Promise<ReceiptCheck> => {
  const c = parseReceiptCode(code);
  if (!c) return invalid('回执码格式不正确', 'not a receipt code');
  const r = await readRound(db, c.roundId);
  if (!r) return invalid('该批次没有公示的发放名单根', 'no published root for that round');
  const { sorted, hashes, root } = receiptTree(r.leaves);
  const index = sorted.findIndex((l) => l.householdId === c.householdId);
  if (index < 0 || root !== r.published.root) return invalid('回执与公示的名单不符', 'the receipt does not match the published list');
  const mine = sorted[index]!;
  const leaf = leafHash({ ...mine, nonce: c.nonce });
  const proof = merkleProof(hashes, index);
  if (rootFromProof(leaf, proof) !== r.published.root) return invalid('回执与公示的名单不符', 'the receipt does not match the published list');
  return {
    valid: true,
    roundId: c.roundId,
    householdId: c.householdId,
    programmeId: r.published.programmeId,
    programme: r.published.programme,
    period: r.published.period,
    amountFen: mine.amountFen,
    leaf,
    proof,
    root: r.published.root,
    publishedAt: r.published.publishedAt,
    algorithm: r.published.algorithm,
    digest: await coverage(db, r.published, digest),
  };
};
