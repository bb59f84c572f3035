import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { actorSchema, roleSchema, userIdSchema, COUNTY_SCOPED_ROLES, type Actor } from '../../domain/shared/actor';
import { countyNameSchema, type CountyId } from '../../domain/reference/counties';
import { authorize, type Action } from '../../domain/access';
import type { NextActor } from '../../domain/exits';
import { inputRefusal, ACTOR_FLAGS, valueRefusal, ruleRefusal } from '../args';
import type { Config } from '../../infra/config';
import { assertionFor } from '../actor-token';

/** --as, --role, --county: who acts. County-scoped roles need their county. */
export const actorFlags = {
  as: userIdSchema,
  role: roleSchema,
  county: countyNameSchema.optional(),
};

export const actorFrom = (f: { as: string; role: z.infer<typeof roleSchema>; county?: string | undefined }): Actor => {
  const a = actorSchema.safeParse({ userId: f.as, role: f.role, ...(COUNTY_SCOPED_ROLES.includes(f.role) ? { countyId: f.county } : {}) });
  if (!a.success) throw inputRefusal(a.error, ACTOR_FLAGS);
  return a.data;
};

/** The proof of who acts, sent beside the actor (cli/actor-token.ts: TUOPIN_TOKEN, or in development mode a token minted for the flags). */
export const provedBy = async (cfg: Config, actor: Actor): Promise<{ assertion?: string }> => {
  const assertion = await assertionFor(cfg, actor);
  return assertion !== undefined ? { assertion } : {};
};

/** A process step as the CLI sends it: --data's JSON, the step, who acts (--as/--role/--county) and its proof. */
export const stepRequest = async (cfg: Config, f: Parameters<typeof actorFrom>[0] & { step: string; data: string }): Promise<object> => {
  const actor = actorFrom(f);
  return { ...((await jsonArg('data', f.data)) as object), type: f.step, actor, ...(await provedBy(cfg, actor)) };
};

/** A JSON flag value given inline or as @file. */
export const jsonArg = async (flag: string, value: string): Promise<unknown> => {
  const text = value.startsWith('@') ? await readFile(value.slice(1), 'utf8') : value;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw valueRefusal(flag, `is not JSON: ${(e as Error).message}`, '不是有效的 JSON');
  }
};

/** A status as JSON, or a clear word that there is none. */
export const printStatus = (out: (line?: string) => void, what: { readonly en: string; readonly zh: string }, s: unknown): void => {
  if (s === null) throw ruleRefusal({ code: 'CLI_NOT_FOUND', en: `no ${what.en}`, zh: `没有${what.zh}` });
  out(JSON.stringify(s, null, 2));
};

/** A process started (or found already started by the same request): the English scripts read, then the Chinese. */
export const startedLine = (r: { readonly repeated: boolean; readonly workflowId: string; readonly runId: string }): string =>
  `${r.repeated ? 'already started' : 'started'} ${r.workflowId} (run ${r.runId}) ${r.repeated ? '此前已启动' : '已启动'}`;

/** Who the process waits for, as one line: "; next: 县扶贫办干部 (county-official) — 县级审核 (review)", or that nobody is awaited. */
export const nextLine = (next: NextActor | null | undefined): string =>
  next
    ? `; next: ${next.roleZh} (${next.roles.join(' | ')}) — ${next.stepZh} (${next.step})${next.notBefore ? `, not before ${next.notBefore}（不早于 ${next.notBefore}）` : ''}`
    : '; nobody is awaited（无待办）';

/** The same gate as the API's, before anything is started: role and county. */
export const permit = (actor: Actor, action: Action, countyId: string): void => {
  const refusal = authorize(actor, action, { countyId: countyId as CountyId });
  if (refusal) throw ruleRefusal(refusal);
};
