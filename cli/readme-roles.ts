import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withRolesTable } from '../domain/access/roles-table';

/** `npm run readme:roles`: rewrites the README's roles table from domain/access and domain/names. */
const file = path.join(__dirname, '..', 'README.md');
const before = readFileSync(file, 'utf8');
const after = withRolesTable(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(after === before ? 'README roles table already current\n' : 'README roles table rewritten\n');
