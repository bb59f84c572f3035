import { leafHash, merkleProof, merkleRoot, parseReceiptCode, receiptCode, receiptNonce, receiptTree, rootFromProof } from './merkle';

const leaf = (n: number) => ({
  roundId: 'br-song-2018-secondary-vocational-grant-b1',
  householdId: `hh-song-b${n}`,
  programmeId: 'secondary-vocational-grant',
  period: '2018',
  amountFen: 200_000,
  nonce: receiptNonce(`ykt-${String(n).padStart(32, '0')}`, `p-${n}`),
});

describe('receipt Merkle tree', () => {
  it('every leaf’s proof recomputes the root, for lists of 1 to 9 households', () => {
    for (let n = 1; n <= 9; n++) {
      const { hashes, root } = receiptTree(Array.from({ length: n }, (_, i) => leaf(i + 1)));
      expect(merkleRoot(hashes)).toBe(root);
      hashes.forEach((h, i) => expect(rootFromProof(h, merkleProof(hashes, i))).toBe(root));
    }
  });

  it('a changed amount, household or nonce does not recompute the root', () => {
    const { hashes, root } = receiptTree([1, 2, 3, 4, 5].map(leaf));
    const proof = merkleProof(hashes, 2);
    expect(rootFromProof(leafHash({ ...leaf(3), amountFen: 200_001 }), proof)).not.toBe(root);
    expect(rootFromProof(leafHash({ ...leaf(3), nonce: '0'.repeat(32) }), proof)).not.toBe(root);
    expect(rootFromProof(leafHash(leaf(4)), proof)).not.toBe(root);
  });

  it('orders leaves by household id, so the root does not depend on payment order', () => {
    expect(receiptTree([3, 1, 2].map(leaf)).root).toBe(receiptTree([1, 2, 3].map(leaf)).root);
  });

  it('reads back the receipt code it writes, and refuses anything else', () => {
    const c = receiptCode('br-song-2018-secondary-vocational-grant-b1', 'hh-song-b1', 'a'.repeat(32));
    expect(parseReceiptCode(c)).toEqual({ roundId: 'br-song-2018-secondary-vocational-grant-b1', householdId: 'hh-song-b1', nonce: 'a'.repeat(32) });
    expect(parseReceiptCode(`${c}0`)).toBeNull();
    expect(parseReceiptCode('hh-song-b1')).toBeNull();
  });
});
