import { CliError } from '../args';
import { parseProposal } from './project-propose';

const RECORD = JSON.stringify({
  partyBranchProposedOn: '2016-03-01',
  twoCommitteesDeliberatedOn: '2016-03-03',
  partyMembersReviewedOn: '2016-03-05',
  villagersResolvedOn: '2016-03-08',
  resolutionPublishedOn: '2016-03-10',
  minutesRef: 'song-chezhen-2016-007',
});
const args = (over: Record<string, string | undefined>): string[] =>
  Object.entries({ as: 'li.ming', county: '嵩县', category: 'transport', name: '村道改造加宽', budget: '115万', year: '2016', 'village-record': RECORD, ...over })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `--${k}=${v}`);
const refusal = (argv: string[]): string => {
  try {
    parseProposal(argv);
  } catch (e) {
    if (e instanceof CliError) return e.message;
    throw e;
  }
  throw new Error('accepted');
};

describe('tuopin project propose --subsidy', () => {
  it('takes several bases: a 2.5 km road renovated and widened', () => {
    const { command } = parseProposal(args({ subsidy: 'village-road-renovation:2500,village-road-widening:2500' }));
    expect(command.data.subsidyBases).toEqual([
      { standard: 'village-road-renovation', quantity: 2500 },
      { standard: 'village-road-widening', quantity: 2500 },
    ]);
  });
  it('takes a part the province pays in full, with its cost as people write it', () => {
    const { command } = parseProposal(args({ budget: '140万', subsidy: 'village-road-renovation:3000:village-road-pavement=126万' }));
    expect(command.data.subsidyBases).toEqual([{ standard: 'village-road-renovation', quantity: 3000, fullSubsidy: { item: 'village-road-pavement', cost: 126_000_000 } }]);
  });
  it('refuses a transport project without a basis, and a malformed one, naming the flag', () => {
    expect(refusal(args({}))).toMatch(/this category has subsidy standards/);
    expect(refusal(args({ subsidy: 'village-road-renovation' }))).toMatch(/^--subsidy: must be <standard>:<quantity>/);
    expect(refusal(args({ subsidy: 'no-such-standard:10' }))).toMatch(/^--subsidy\.0\.standard/);
  });
});

describe('tuopin project propose --level (issue 14 point 5)', () => {
  const APPRAISAL = JSON.stringify({ department: '嵩县卫生和计划生育委员会', documentRef: '嵩卫〔2016〕21号', appraisedOn: '2016-03-02' });
  const hospital = { category: 'health', name: '嵩县人民医院病房楼', budget: '2600万', 'village-record': undefined };
  it('takes a county-level project with its department’s appraisal and no village record', () => {
    const { command } = parseProposal(args({ ...hospital, level: 'county', appraisal: APPRAISAL }));
    expect(command.data.place).toEqual({ level: 'county' });
    expect(command.data.appraisal).toEqual({ department: '嵩县卫生和计划生育委员会', documentRef: '嵩卫〔2016〕21号', appraisedOn: '2016-03-02' });
    expect(command.data.villageRecord).toBeUndefined();
  });
  it('refuses a county-level project without an appraisal, in zh too', () => {
    expect(refusal(args({ ...hospital, level: 'county' }))).toMatch(/行业部门论证/);
  });
  it('takes a village project with its village and township, and names the flag of a malformed village id', () => {
    const { command } = parseProposal(args({ level: 'village', village: 'vil-song-042', township: 'twp-song-chezhen', subsidy: 'village-road-renovation:2500' }));
    expect(command.data.place).toEqual({ level: 'village', villageId: 'vil-song-042', townshipId: 'twp-song-chezhen' });
    expect(refusal(args({ level: 'village', village: '车村', subsidy: 'village-road-renovation:2500' }))).toMatch(/^--village: must look like vil-/);
  });
});
