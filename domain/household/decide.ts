import type * as C from './commands';
import type { HouseholdState } from './state';
import { DEFAULT_HOUSEHOLD_RULES, type D, type HouseholdRules } from './decide-common';
import { assess, recordIncome, register, updateGuarantees, updateMembers } from './decide-records';
import { announce, appraise, consent, postNotice, raiseObjection, resolveObjection, townshipReview, withdrawConsent, workTeamCheck } from './decide-round';
import { decideReturn, postReturnNotice, visit } from './decide-return';
import { decideRemoval, postRemovalNotice, proposeRemoval, removeMember } from './decide-removal';

export { DEFAULT_HOUSEHOLD_RULES, type HouseholdRules } from './decide-common';

/** A household decider with the given durations (tests of workflows use seconds). */
export const makeDecide =
  (rules: HouseholdRules = DEFAULT_HOUSEHOLD_RULES) =>
  (command: C.HouseholdCommand, state: HouseholdState): D => {
    switch (command.type) {
      case 'RegisterHousehold':
        return register(command, state);
      case 'UpdateMembers':
        return updateMembers(command, state);
      case 'RecordIncome':
        return recordIncome(command, state);
      case 'UpdateGuarantees':
        return updateGuarantees(command, state);
      case 'AssessForExit':
        return assess(command, state);
      case 'AppraiseInVillage':
        return appraise(command, state);
      case 'CheckByWorkTeam':
        return workTeamCheck(command, state);
      case 'RecordConsent':
        return consent(command, state);
      case 'WithdrawConsent':
        return withdrawConsent(command, state);
      case 'PostExitNotice':
        return postNotice(command, state, rules);
      case 'RaiseExitObjection':
        return raiseObjection(command, state);
      case 'ResolveExitObjection':
        return resolveObjection(command, state);
      case 'ReviewByTownship':
        return townshipReview(command, state);
      case 'AnnounceExit':
        return announce(command, state);
      case 'VisitForReturnReview':
        return visit(command, state);
      case 'PostReturnNotice':
        return postReturnNotice(command, state, rules);
      case 'DecideReturn':
        return decideReturn(command, state);
      case 'ProposeRemoval':
        return proposeRemoval(command, state);
      case 'PostRemovalNotice':
        return postRemovalNotice(command, state, rules);
      case 'DecideRemoval':
        return decideRemoval(command, state);
      case 'RemoveMember':
        return removeMember(command, state);
      default: {
        const _never: never = command;
        return _never;
      }
    }
  };
