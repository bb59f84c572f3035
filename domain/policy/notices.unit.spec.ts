import { DEFAULT_COUNTY_RULES } from '../county/decide';
import { DEFAULT_HOUSEHOLD_RULES } from '../household/decide-common';
import { DEFAULT_VILLAGE_RULES } from '../village/decide';
import { DEFAULT_BENEFIT_RULES } from '../benefit/decide';
import { isNoticeInForce, NOTICE_EVENTS, noticeTermsInForce } from './notices';

const DAY = 86_400;

describe('notice terms in force (issue 11 point 15)', () => {
  it('a start asking for a 5-second notice gets the plan’s days; a longer one runs longer; the shortest accepted is always the plan’s', () => {
    expect(noticeTermsInForce('householdExit', 'song', '2016-10-01', 5)).toEqual({ noticeSeconds: 7 * DAY, minNoticeSeconds: 7 * DAY });
    expect(noticeTermsInForce('returnToPoverty', 'song', '2016-10-01', 5)).toEqual({ noticeSeconds: 5 * DAY, minNoticeSeconds: 5 * DAY });
    expect(noticeTermsInForce('countyExit', 'song', '2019-10-01', 10 * DAY)).toEqual({ noticeSeconds: 10 * DAY, minNoticeSeconds: 7 * DAY });
    expect(noticeTermsInForce('benefit', 'song', '2016-03-01')).toEqual({ noticeSeconds: 7 * DAY, minNoticeSeconds: 7 * DAY });
  });

  it('are the deciders’ own defaults, so a decision under them is in force and a shorter one is not', () => {
    expect(noticeTermsInForce('householdExit', 'song', '2016-10-01').minNoticeSeconds).toBe(DEFAULT_HOUSEHOLD_RULES.exitNoticeMinSeconds);
    expect(noticeTermsInForce('returnToPoverty', 'song', '2016-10-01').minNoticeSeconds).toBe(DEFAULT_HOUSEHOLD_RULES.returnNoticeMinSeconds);
    expect(noticeTermsInForce('villageExit', 'song', '2016-10-01').minNoticeSeconds).toBe(DEFAULT_VILLAGE_RULES.noticeMinSeconds);
    expect(noticeTermsInForce('countyExit', 'song', '2016-10-01').minNoticeSeconds).toBe(DEFAULT_COUNTY_RULES.noticeMinSeconds);
    expect(noticeTermsInForce('benefit', 'song', '2016-10-01').minNoticeSeconds).toBe(DEFAULT_BENEFIT_RULES.noticeMinSeconds);
    expect(isNoticeInForce('householdExit', 7 * DAY)).toBe(true);
    expect(isNoticeInForce('householdExit', 4)).toBe(false);
  });

  it('cover the identification round’s two notices (村公示, 乡审核公示): 7 days each', () => {
    expect(noticeTermsInForce('identification', 'song', '2016-10-01', 5)).toEqual({ noticeSeconds: 7 * DAY, minNoticeSeconds: 7 * DAY });
    expect([NOTICE_EVENTS.IdentificationVillageNoticePosted, NOTICE_EVENTS.IdentificationTownshipNoticePosted]).toEqual(['identification', 'identification']);
  });
});
