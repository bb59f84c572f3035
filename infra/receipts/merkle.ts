import { createHash } from 'node:crypto';
import { canonicalJson } from '../eventstore/canonical';

/**
 * The Merkle tree of a closed benefit round's payment list, so each household can check its own
 * payment against a root published with the village notice, learning nothing about anyone else.
 *
 * - A leaf is sha256(0x00 ‖ canonicalJson({amountFen, householdId, nonce, period, programmeId, roundId})).
 *   The nonce (128 bits) is derived from the account key and payment id, which only the store holds:
 *   without it a sibling hash cannot be matched to a guessed household and amount.
 * - An inner node is sha256(0x01 ‖ left ‖ right); the leaves are in household id order; an odd
 *   node at the end of a level is carried up unchanged (no duplicate leaf).
 * - A receipt code is `<round id>.<household id>.<nonce>`: the household's own key to its leaf.
 */
export const RECEIPT_ALGORITHM = 'tuopin-receipts/1 sha256 leaf=0x00 node=0x01 odd-carried';

export interface ReceiptLeaf {
  readonly roundId: string;
  readonly householdId: string;
  readonly programmeId: string;
  readonly period: string;
  readonly amountFen: number;
  readonly nonce: string;
}

const sha = (...parts: (Buffer | string)[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

export const receiptNonce = (accountKey: string, paymentId: string): string => sha('tuopin-receipt-nonce/1\u0000', accountKey, '\u0000', paymentId).slice(0, 32);

export const leafHash = (l: ReceiptLeaf): string =>
  sha(Buffer.from([0]), canonicalJson({ amountFen: l.amountFen, householdId: l.householdId, nonce: l.nonce, period: l.period, programmeId: l.programmeId, roundId: l.roundId }));

const node = (left: string, right: string): string => sha(Buffer.from([1]), Buffer.from(left, 'hex'), Buffer.from(right, 'hex'));

/** One step of a proof: the sibling's hash and which side it is on. */
export interface ProofStep {
  readonly side: 'left' | 'right';
  readonly hash: string;
}

/** The root of leaves (already hashed, in order); the empty list's root is sha256 of nothing. */
export const merkleRoot = (leaves: readonly string[]): string => {
  if (leaves.length === 0) return sha('');
  let level = [...leaves];
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? node(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
};

/** The sibling hashes from leaf `index` up to the root: all a verifier needs, nothing about the leaves themselves. */
export const merkleProof = (leaves: readonly string[], index: number): ProofStep[] => {
  const proof: ProofStep[] = [];
  let level = [...leaves];
  let i = index;
  while (level.length > 1) {
    const sibling = i % 2 === 0 ? i + 1 : i - 1;
    if (sibling < level.length) proof.push({ side: i % 2 === 0 ? 'right' : 'left', hash: level[sibling]! });
    const next: string[] = [];
    for (let k = 0; k < level.length; k += 2) next.push(k + 1 < level.length ? node(level[k]!, level[k + 1]!) : level[k]!);
    level = next;
    i = Math.floor(i / 2);
  }
  return proof;
};

/** Recomputes the root from a leaf and its proof. */
export const rootFromProof = (leaf: string, proof: readonly ProofStep[]): string => proof.reduce((h, s) => (s.side === 'left' ? node(s.hash, h) : node(h, s.hash)), leaf);

/** The leaves of a round's paid list, in household id order, with each household's index. */
export const receiptTree = (leaves: readonly ReceiptLeaf[]) => {
  const sorted = [...leaves].sort((a, b) => (a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0));
  const hashes = sorted.map(leafHash);
  return { sorted, hashes, root: merkleRoot(hashes) };
};

export const receiptCode = (roundId: string, householdId: string, nonce: string): string => `${roundId}.${householdId}.${nonce}`;

export const parseReceiptCode = (code: string): { roundId: string; householdId: string; nonce: string } | null => {
  const m = /^(br-[a-z]+-\d{4}-[a-z0-9-]{2,60})\.(hh-[a-z0-9-]{1,60})\.([0-9a-f]{32})$/.exec(code);
  return m ? { roundId: m[1]!, householdId: m[2]!, nonce: m[3]! } : null;
};
