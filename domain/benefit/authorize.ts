import { COUNTY_SCOPED_ROLES, type CommandMeta, type Role } from '../shared/actor';
import { domainError, type DomainError } from '../shared/errors';
import { ACCESS_ERRORS } from '../access/authorize';
import type { CountyId } from '../reference/counties';
import { zhList, zhOf } from '../names/name';
import { ROLE_NAMES } from '../names/roles';

/**
 * Who may take a benefit round's or file's step: each step names its roles (BENEFIT_STEP_ROLES,
 * FILE_ROLES), and a county-scoped actor acts only in its own county. Same codes as domain/access,
 * so clients handle both alike. (The exit steps use domain/access's actions directly.)
 */
export const authorizeStep = (meta: CommandMeta, allowed: readonly Role[], countyId: CountyId | undefined): DomainError | undefined => {
  const { role, countyId: actorCounty } = meta.actor;
  if (!allowed.includes(role)) {
    return domainError(
      ACCESS_ERRORS.roleNotAllowed,
      `${zhOf(ROLE_NAMES, role)}无权办理此步骤（可办理：${zhList(ROLE_NAMES, allowed)}）`,
      `the role ${role} may not take this step (allowed: ${allowed.join(', ')})`,
      {
        role,
        allowed,
      },
    );
  }
  if (COUNTY_SCOPED_ROLES.includes(role) && countyId !== undefined && actorCounty !== countyId) {
    return domainError(ACCESS_ERRORS.outOfCounty, `${zhOf(ROLE_NAMES, role)}只能在本县范围内办理`, `a ${role} acts only in their own county`, {
      actorCounty,
      resourceCounty: countyId,
    });
  }
  return undefined;
};
