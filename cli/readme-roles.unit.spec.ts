import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES } from '../domain/shared/actor';
import { ROLE_NAMES } from '../domain/names/roles';
import { ROLES_TABLE_BEGIN, ROLES_TABLE_END, rolesTableMarkdown, withRolesTable } from '../domain/access/roles-table';

const README = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

describe('README roles table', () => {
  it('lists every role in zh and en with what it may do', () => {
    const table = rolesTableMarkdown();
    for (const role of ROLES) expect(table).toContain(`| ${ROLE_NAMES[role].zh} | ${ROLE_NAMES[role].en} (\`${role}\`) |`);
    expect(table.split('\n')).toHaveLength(ROLES.length + 2);
  });

  it('the README carries the current table (run `npm run readme:roles` when this fails)', () => {
    expect(README).toContain(ROLES_TABLE_BEGIN);
    expect(README).toContain(ROLES_TABLE_END);
    expect(withRolesTable(README)).toBe(README);
    for (const role of ROLES) expect(README).toContain(`(\`${role}\`)`);
  });
});
