import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_PATHS } from './logger';

describe('log redaction', () => {
  it('keeps bearer tokens, ID numbers, member lists and PostgreSQL error details out of every line', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    log.info({ req: { headers: { authorization: 'Bearer eyJsecret' } }, householdId: 'hh-song-1' }, 'request');
    log.info({ row: { idNumber: '410325199001011234', members: [{ idNumber: '41032519900101123X' }] } }, 'row');
    log.info({ data: { household: { idNumber: '410325199001011235' } } }, 'nested');
    log.error({ err: { message: 'duplicate key', detail: 'Key (id_number)=(410325199001011236) already exists.' } }, 'failed');
    const all = lines.join('');
    for (const secret of ['eyJsecret', '410325199001011234', '41032519900101123X', '410325199001011235', '410325199001011236']) expect(all).not.toContain(secret);
    expect(all).toContain('hh-song-1');
    expect(all).toContain('duplicate key');
  });
});
