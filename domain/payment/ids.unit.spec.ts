import { paymentIdSchema } from './ids';
import { projectIdSchema } from '../project/ids';

describe('payment ids', () => {
  it('are a project id and the payment’s number', () => {
    expect(paymentIdSchema.safeParse('prj-song-2016-abcd1234:p1').success).toBe(true);
    expect(projectIdSchema.safeParse('prj-song-2016-abcd1234:p1'.split(':')[0]).success).toBe(true);
  });
  it.each([
    'pay-advance',
    'prj-song-2016-abcd1234',
    'prj-song-2016-abcd1234:p',
    'prj-song-2016-abcd1234:px',
    'fund-song-2016-x:p1',
    'prj-Song-2016-abcd:p1',
    'prj-song-2016-abcd:p1\n',
  ])('refuses %j', (id) => {
    expect(paymentIdSchema.safeParse(id).success).toBe(false);
  });
});
