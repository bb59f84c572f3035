import { createHash } from 'node:crypto';
import { composeResidentId } from '../../domain/household/resident-id';
import { accountKeyOf, hmacSha256Hex, memberKey } from './keys';

// The vectors the hand-written SHA-256/HMAC once in domain/household carried: node:crypto gives the same bytes.
describe('member key (salted, for the duplicate index)', () => {
  it('SHA-256 and HMAC match published test vectors', () => {
    const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(sha256Hex('a'.repeat(1000))).toBe('41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3');
    // RFC 4231 test case 2
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
  it('keeps the keys already in stores: the same bytes as the hand-written HMAC gave', () => {
    // Computed with the former domain/household/member-key.ts before the switch to node:crypto.
    expect(memberKey('11010519491231002X', 'test-salt-0123456789')).toBe('mk1-eccb1d7b0e168867405b19588d04d7f9502296689fa978a2edd6c62382201b7c');
    expect(accountKeyOf('6217000012345678', 'a-test-salt-of-sixteen+')).toBe('ykt-8e8b2dbac42ed079569b02b6f0f89e2f');
    // A key longer than the 64-byte block is hashed first (262 UTF-8 bytes here).
    expect(hmacSha256Hex('\xaa'.repeat(131), 'Test Using Larger Than Block-Size Key - Hash Key First')).toBe('936d986e40c610341e6084ea547f22261b9d459052dd613aaf52faf925299dc2');
  });
  it('is stable, case-insensitive for X, different per salt, and does not contain the number', () => {
    const id = '11010519491231002X';
    const salt = 'test-salt-0123456789';
    expect(memberKey(id, salt)).toBe(memberKey(' 11010519491231002x ', salt));
    expect(memberKey(id, salt)).not.toBe(memberKey(id, 'another-salt-0123456'));
    expect(memberKey(id, salt)).toMatch(/^mk1-[0-9a-f]{64}$/);
    expect(memberKey(id, salt)).not.toContain('19491231');
    expect(memberKey(composeResidentId('410325', '19780620', 22), salt)).not.toBe(memberKey(composeResidentId('410325', '19750312', 11), salt));
  });
  it('refuses a short salt (a configuration mistake)', () => {
    expect(() => memberKey('11010519491231002X', 'short')).toThrow(RangeError);
    expect(() => accountKeyOf('6217000012345678', 'short')).toThrow(RangeError);
  });
});

describe('account key (一卡通)', () => {
  it('is ykt-<32 hex>, one per number', () => {
    const salt = 'a-test-salt-of-sixteen+';
    expect(accountKeyOf('6217000012345678', salt)).toMatch(/^ykt-[0-9a-f]{32}$/);
    expect(accountKeyOf('6217000012345678', salt)).not.toBe(accountKeyOf('6217000012345679', salt));
  });
});
