import { parseTokenIssue, runTokenIssue } from '../cli/commands/token-issue';
import { issueToken, TokenError, verifyToken } from './tokens';

const SECRET = 'a-test-secret-of-at-least-thirty-two-chars';

describe('bearer tokens', () => {
  it('carry user, role and county, and come back as the same actor', async () => {
    const actor = { userId: 'li.ming', role: 'county-official', countyId: 'song' } as const;
    expect(await verifyToken(SECRET, await issueToken(SECRET, actor, 60))).toEqual(actor);
  });
  it('are refused when expired, signed with another key, or not JWTs', async () => {
    const actor = { userId: 'audit.1', role: 'auditor' } as const;
    await expect(verifyToken(SECRET, await issueToken(SECRET, actor, 1, new Date(Date.now() - 10_000)))).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    await expect(verifyToken(SECRET, await issueToken(`${SECRET}-other`, actor, 60))).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(verifyToken(SECRET, 'a.b.c')).rejects.toBeInstanceOf(TokenError);
  });
  it('are issued by the CLI for a county-scoped role only with its county, and for at most 30 days', async () => {
    expect(parseTokenIssue(['--user', 'li.ming', '--role', 'county-official', '--county', '嵩县']).actor).toEqual({ userId: 'li.ming', role: 'county-official', countyId: 'song' });
    expect(() => parseTokenIssue(['--user', 'li.ming', '--role', 'county-official'])).toThrow(/--county/);
    expect(() => parseTokenIssue(['--user', 'a.b', '--role', 'auditor', '--ttl', '90d'])).toThrow(/30d/);
    const token = await runTokenIssue(['--user', 'audit.1', '--role', 'auditor', '--ttl', '2h'], SECRET);
    expect(await verifyToken(SECRET, token)).toEqual({ userId: 'audit.1', role: 'auditor' });
  });
});
