import { deciderSpec } from '../shared/testing';
import { decide, evolve, initialState, type ProjectCommand, type ProjectEvent, type ProjectState } from './index';
import { c, villageRecord, wan } from './project.fixtures';

/**
 * Issue 14 point 5: a project has a place (county, township or village), and 四议两公开 is asked only
 * of a village's project; a county's carries its industry department's appraisal (行业部门论证).
 * Before, every project needed a village record and none could say where it was.
 */
const spec = deciderSpec<ProjectCommand, ProjectEvent, ProjectState>({ decide, evolve, initialState });
const appraisal = { department: '嵩县卫生和计划生育委员会', documentRef: '嵩卫〔2017〕8号', appraisedOn: '2017-02-10' };
const hospital = { category: 'health' as const, name: '嵩县人民医院病房楼', budget: wan(2600), subsidyBases: undefined, villageRecord: undefined };

describe('project place: 四议两公开 for a village’s project, the department’s appraisal for a county’s', () => {
  it('given nothing, when a county-level hospital is proposed with its appraisal and no village record, then proposed with its place and appraisal', () => {
    const [e] = spec
      .given([])
      .when(c.propose({ ...hospital, place: { level: 'county' }, appraisal }))
      .thenAccepts();
    expect(e!.type).toBe('ProjectProposed');
    expect(e!.data).toMatchObject({ place: { level: 'county' }, appraisal });
    expect(e!.data).not.toHaveProperty('villageRecord');
  });

  it('given nothing, when a county-level project comes without an appraisal, then refused PROJECT_APPRAISAL_REQUIRED, saying so in zh', () => {
    const w = spec.given([]).when(c.propose({ ...hospital, place: { level: 'county' } }));
    w.thenRefuses('PROJECT_APPRAISAL_REQUIRED');
    expect(!w.result.ok && w.result.error.zh).toBe('县级、乡级项目须附行业部门论证（部门、文号、日期）');
  });

  it('given nothing, when a county-level project carries a village record, then refused: a county project has no 四议两公开', () => {
    spec
      .given([])
      .when(c.propose({ ...hospital, place: { level: 'county' }, appraisal, villageRecord }))
      .thenRefuses('PROJECT_VILLAGE_RECORD_NOT_FOR_LEVEL');
  });

  it('given nothing, when a township-level project comes with its appraisal, then proposed', () => {
    spec
      .given([])
      .when(c.propose({ ...hospital, name: '车村镇卫生院', budget: wan(300), place: { level: 'township', townshipId: 'twp-song-checun' }, appraisal }))
      .thenAccepts();
  });

  it('given nothing, when a village project names its village, then proposed with it; without a village record, refused PROJECT_VILLAGE_RECORD_REQUIRED', () => {
    const [e] = spec
      .given([])
      .when(c.propose({ place: { level: 'village', villageId: 'vil-song-042', townshipId: 'twp-song-checun' } }))
      .thenAccepts();
    expect(e!.data).toMatchObject({ place: { level: 'village', villageId: 'vil-song-042', townshipId: 'twp-song-checun' }, villageRecord });
    spec
      .given([])
      .when(c.propose({ place: { level: 'village', villageId: 'vil-song-042' }, villageRecord: undefined }))
      .thenRefuses('PROJECT_VILLAGE_RECORD_REQUIRED');
  });

  it('given nothing, when a proposal without a place (as before) has no village record, then refused: it is read as a village project', () => {
    spec
      .given([])
      .when(c.propose({ villageRecord: undefined }))
      .thenRefuses('PROJECT_VILLAGE_RECORD_REQUIRED');
  });

  it('given nothing, when the place is in another county, then refused PROJECT_PLACE_OUTSIDE_COUNTY', () => {
    spec
      .given([])
      .when(c.propose({ place: { level: 'village', villageId: 'vil-luanchuan-007' } }))
      .thenRefuses('PROJECT_PLACE_OUTSIDE_COUNTY');
  });

  it('given nothing, when the appraisal is dated after the proposal, then refused PROJECT_APPRAISAL_IN_FUTURE', () => {
    spec
      .given([])
      .when(c.propose({ ...hospital, place: { level: 'county' }, appraisal: { ...appraisal, appraisedOn: '2017-04-01' } }))
      .thenRefuses('PROJECT_APPRAISAL_IN_FUTURE');
  });

  it('the file keeps the place and the appraisal', () => {
    const r = decide(c.propose({ ...hospital, place: { level: 'county' }, appraisal }), initialState());
    if (!r.ok) throw new Error(r.error.en);
    const s = r.events.reduce(evolve, initialState());
    expect(s).toMatchObject({ place: { level: 'county' }, appraisal });
  });
});
