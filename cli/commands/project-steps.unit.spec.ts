import { PROJECT_STATUSES } from '../../domain/project/state';
import { stageSteps } from '../../services/project-next';
import { commandLine, stageStepsLines } from './project-steps';
import { parseStep } from './project-step';
import { parseCancel, parseFunding, parsePayment } from './project-money';

/** Splits a command line as a POSIX shell does for bare words and single quotes (all commandLine writes). */
const shellWords = (line: string): string[] => {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  return words;
};

describe('tuopin project steps: every command line it prints is one the CLI takes', () => {
  const PROJECT = 'prj-song-2016-abc123';
  const cases = PROJECT_STATUSES.flatMap((stage) => stageSteps(stage).steps.map((g) => [stage, g.type, g] as const));

  it.each(cases)('at %s, %s: its example parses with its own command’s parser', (_stage, _type, g) => {
    const [bin, group, verb, ...argv] = shellWords(commandLine(g, PROJECT).replace('<user>', 'zhao.min'));
    expect([bin, group]).toEqual(['tuopin', 'project']);
    const parse = { step: parseStep, fund: parseFunding, pay: parsePayment, cancel: parseCancel }[verb as 'step' | 'fund' | 'pay' | 'cancel'];
    expect(parse).toBeDefined();
    const parsed = parse(argv);
    expect(parsed.projectId).toBe(PROJECT);
    expect(parsed.request.actor.role).toBe(g.roles[0]);
  });

  it('prints a stage with its steps in Chinese first, roles and amounts as officials write them', () => {
    const text = stageStepsLines(stageSteps('in-library')).join('\n');
    expect(text).toMatch(/^== 已入项目库（in-library）==/);
    expect(text).toMatch(/安排资金 RecordFunding — 县扶贫办干部、县财政局/);
    expect(text).toMatch(/--amount 63万 /);
  });
});
