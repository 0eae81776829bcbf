import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CONTROL_CONFIG, CONTROL_TAGS } from './control-route.js';
import { controlErrors, DirectoryBodySchema, DirectoryCountsSchema } from './control-schemas.js';
import type { DirectoryControl } from './directory-control.js';

/** Directory files are larger than Webex request bodies. */
const DIRECTORY_BODY_LIMIT = 64 * 1024 * 1024;

export const directoryRoutes =
  (directory: DirectoryControl): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/directory',
      {
        config: CONTROL_CONFIG,
        bodyLimit: DIRECTORY_BODY_LIMIT,
        // The schema documents the body; the directory reader checks it, naming the entry at fault.
        validatorCompiler: () => () => true,
        schema: {
          operationId: 'loadDirectory',
          tags: CONTROL_TAGS,
          description:
            'Replaces the whole directory (people, orgs and tokens) with a directory file, in one transaction; a bad file changes nothing.',
          body: DirectoryBodySchema,
          response: { 200: DirectoryCountsSchema, ...controlErrors(400, 413, 415) },
        },
      },
      async (request) => directory.load(request.body as unknown),
    );

    app.get(
      '/directory',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'exportDirectory',
          tags: CONTROL_TAGS,
          description: 'The directory file of what the server holds now (never tokens).',
          response: { 200: DirectoryBodySchema, ...controlErrors() },
        },
      },
      async () => directory.export(),
    );

    app.post(
      '/reset',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'resetDirectory',
          tags: CONTROL_TAGS,
          description:
            'Restores the directory the server started with, token records included (tokens minted since stop working, revoked ones work again).',
          response: { 200: DirectoryCountsSchema, ...controlErrors(409) },
        },
      },
      async () => directory.reset(),
    );
  };
