import { COUNTY_SCOPED_ROLES, type CommandMeta, type Role } from '../shared/actor';
import { domainError, type DomainError } from '../shared/errors';
import { ACCESS_ERRORS } from '../access/authorize';
import type { CountyId } from '../reference/counties';

/**
 * Who may take an exit-side step: each step names its roles, and a county-scoped actor acts only in
 * its own county. Same codes as the fund/project access rules, so clients handle both alike.
 */
export const authorizeStep = (meta: CommandMeta, allowed: readonly Role[], countyId: CountyId | undefined): DomainError | undefined => {
  const { role, countyId: actorCounty } = meta.actor;
  if (!allowed.includes(role)) {
    return domainError(ACCESS_ERRORS.roleNotAllowed, `角色“${role}”无权执行此步骤（允许：${allowed.join('、')}）`, `the role ${role} may not take this step (allowed: ${allowed.join(', ')})`, {
      role,
      allowed,
    });
  }
  if (COUNTY_SCOPED_ROLES.includes(role) && countyId !== undefined && actorCounty !== countyId) {
    return domainError(ACCESS_ERRORS.outOfCounty, '只能在本县范围内办理', `a ${role} acts only in their own county`, { actorCounty, resourceCounty: countyId });
  }
  return undefined;
};
