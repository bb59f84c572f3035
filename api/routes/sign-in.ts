import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { roleSchema, userIdSchema } from '../../domain/shared/actor';
import { DEV_DIRECTORY, directoryEntry } from '../dev-directory';
import { issueToken } from '../../infra/tokens/tokens';
import { ApiError } from '../errors';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES } from '../schemas/common';

/** A development sign-in lasts a working day. */
const DEV_TOKEN_TTL_S = 8 * 3600;

const entrySchema = z.object({ userId: z.string(), name: z.string(), role: roleSchema, countyId: z.string().optional() });

/**
 * Open routes (no token): how the web UI signs a person in. With the development sign-in on, a
 * person picks an account from the seeded directory and the server issues its token; off, the UI
 * asks for a token from the deployment's issuer and these routes say so (404 DEV_SIGN_IN_OFF).
 */
export const signInRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/auth/config',
      { schema: { tags: ['auth'], summary: 'How this deployment signs people in', security: [], response: { 200: z.object({ devSignIn: z.boolean() }) } } },
      async () => ({ devSignIn: deps.devSignIn === true && deps.tokenKeys.signing !== undefined }),
    );

    const off = () => new ApiError(404, 'DEV_SIGN_IN_OFF', '本系统不提供开发登录，请使用发放的身份凭证', 'the development sign-in is off here: use a token from the issuer');

    app.get(
      '/auth/directory',
      {
        schema: {
          tags: ['auth'],
          summary: 'The seeded directory of the development sign-in (synthetic accounts with their role and county)',
          security: [],
          response: { 200: z.object({ items: z.array(entrySchema) }), ...ERROR_RESPONSES },
        },
      },
      async () => {
        if (deps.devSignIn !== true || !deps.tokenKeys.signing) throw off();
        return { items: DEV_DIRECTORY.map((e) => ({ ...e })) };
      },
    );

    app.post(
      '/auth/dev-sign-in',
      {
        schema: {
          tags: ['auth'],
          summary: "Development sign-in: the server issues the token of a directory account (its role and county are the directory's)",
          security: [],
          body: z
            .object({ userId: userIdSchema })
            .strict()
            .meta({ example: { userId: 'wang.fang' } }),
          response: { 200: z.object({ token: z.string(), expiresAt: z.string(), actor: entrySchema }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        if (deps.devSignIn !== true || !deps.tokenKeys.signing) throw off();
        const entry = directoryEntry(request.body.userId);
        if (!entry) throw new ApiError(404, 'USER_NOT_IN_DIRECTORY', `目录中没有账号 ${request.body.userId}`, `no account ${request.body.userId} in the directory`);
        const { name: _name, ...actor } = entry;
        const issued = await issueToken(deps.tokenKeys, actor, DEV_TOKEN_TTL_S);
        return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), actor: { ...entry } };
      },
    );
  };
