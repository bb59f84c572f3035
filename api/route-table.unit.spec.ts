import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument, routesOf } from './openapi-document';

jest.setTimeout(120_000);

// The README's route table (route → service → workflow) is the newcomer's map: it must name every route the
// app serves, and no route it does not. A route added without its row fails here.
describe("the README's route table", () => {
  it('lists exactly the routes of the OpenAPI document', async () => {
    const served = routesOf(await openApiDocument()).sort();
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) ([^`]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    expect(listed).toEqual(served);
  });
});
