import type { Kysely } from 'kysely';
import type { Database } from '../infra/database';
import { logger } from '../infra/logger';
import { CommandRefused } from '../domain/refusal/events';
import { domainError } from '../domain/shared/errors';
import type { Fen } from '../domain/shared/money';
import { recordRefusal, refusalData, refusalEventId, refusalStreamOf, type RefusedCommand } from './refusal-record';
import { accessRefusalCounts } from './access-refusals';

const command: RefusedCommand = {
  commandType: 'RecordPayment',
  projectId: 'prj-song-2016-abcd1234',
  fundId: 'fund-song-2016-central-01',
  allocationId: 'prj-song-2016-abcd1234:a6',
  milestone: 'settlement',
  payee: 'payee-song-road-co-01',
  amount: 1_000_000 as Fen,
  actor: { userId: 'qian.li', role: 'county-finance', countyId: 'song' },
  requestId: 'pay-settle-1',
};
const rule = domainError('FUND_PAYMENT_EXCEEDS_ALLOCATION', '拨付超过安排余额', 'payment above the allocation');

describe('recording a refused command', () => {
  it('keeps it in the county’s refusals stream, with the process’s code over the rule’s when they differ, in the registered schema', () => {
    expect(refusalStreamOf('song')).toBe('refusals-song');
    const own = refusalData(command, 'FUND_PAYMENT_EXCEEDS_ALLOCATION', rule);
    expect(own).toMatchObject({ code: 'FUND_PAYMENT_EXCEEDS_ALLOCATION', countyId: 'song', amount: 1_000_000, requestId: 'pay-settle-1' });
    expect(own).not.toHaveProperty('ruleCode');
    const wrapped = refusalData(command, 'PAYMENT_CONFIRMED_NOT_RECORDED', rule);
    expect(wrapped).toMatchObject({ code: 'PAYMENT_CONFIRMED_NOT_RECORDED', ruleCode: 'FUND_PAYMENT_EXCEEDS_ALLOCATION' });
    expect(CommandRefused.schema.safeParse(wrapped).success).toBe(true);
    const { fundId: _f, allocationId: _a, milestone: _m, payee: _p, amount: _x, requestId: _r, ...step } = command;
    expect(CommandRefused.schema.safeParse(refusalData({ ...step, commandType: 'ApproveAtTownship' }, 'PROJECT_OUT_OF_ORDER', rule)).success).toBe(true);
  });

  it('derives the event id from who was refused what and why: the same command refused the same way is one event, whatever its request id', () => {
    const id = (c: RefusedCommand, r = rule) => refusalEventId(c, refusalData(c, r.code, r));
    expect(id(command)).toBe(id({ ...command }));
    expect(id(command)).toBe(id({ ...command, requestId: 'pay-settle-2' }));
    const { requestId: _r, ...bare } = command;
    expect(id(bare)).toBe(id(bare));
    expect(id(bare)).toBe(id(command));
    // Another person, another amount or another rule is another refusal.
    expect(id(command)).not.toBe(id({ ...command, actor: { ...command.actor, userId: 'someone.else' } }));
    expect(id(command)).not.toBe(id({ ...command, amount: 2_000_000 as Fen }));
    expect(id(command)).not.toBe(id(command, domainError('FUND_FROZEN', '资金已冻结', 'frozen')));
  });

  it('does not store access refusals: it logs and counts them, and touches no database', async () => {
    const untouchable = new Proxy(
      {},
      {
        get: () => {
          throw new Error('the store was asked');
        },
      },
    ) as Kysely<Database>;
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    try {
      const before = accessRefusalCounts().ACCESS_ROLE_NOT_ALLOWED ?? 0;
      const denied = domainError('ACCESS_ROLE_NOT_ALLOWED', '无权办理', 'role not allowed');
      await recordRefusal(untouchable, { ...command, actor: { userId: 'audit.1', role: 'auditor' } }, denied.code, denied);
      expect(accessRefusalCounts().ACCESS_ROLE_NOT_ALLOWED).toBe(before + 1);
      expect(info).toHaveBeenCalledWith(
        expect.objectContaining({ user: 'audit.1', role: 'auditor', code: 'ACCESS_ROLE_NOT_ALLOWED', projectId: command.projectId }),
        'access refused',
      );
    } finally {
      info.mockRestore();
    }
  });

  it('never throws: a store that fails is logged with its error and the command, and the caller still answers the refusal', async () => {
    const broken = new Proxy(
      {},
      {
        get: () => {
          throw new Error('store down');
        },
      },
    ) as Kysely<Database>;
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    try {
      await expect(recordRefusal(broken, command, rule.code, rule)).resolves.toBeUndefined();
      expect(error).toHaveBeenCalledWith(
        expect.objectContaining({ err: expect.any(Error), stream: 'refusals-song', projectId: command.projectId, code: rule.code }),
        'refusal not recorded',
      );
    } finally {
      error.mockRestore();
    }
  });
});
