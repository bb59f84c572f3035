import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'coverage/', 'test/histories/', 'ui/dist/', 'test-artifacts/', 'ui/src/api/schema.d.ts', '.build/'] },
  // Vue single-file components are checked by vue-tsc (npm run typecheck), not by eslint.
  { ignores: ['**/*.vue'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The few plain CommonJS files Node or jest loads itself (jest's config, the summary reporter, the CLI's launcher).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The workflows' index loads each workflow when a run first calls it (require, bundled by webpack): see its comment.
    files: ['workflows/index.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no clients.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'pg', 'kysely', '@nats-io/*', '@temporalio/client', '@temporalio/worker', '../infra/*'],
              message: 'workflow code is deterministic: no I/O, no clients',
            },
            // Activities are referenced by type only; their code runs outside the sandbox.
            { group: ['../activities/*'], allowTypeImports: true, message: 'import activities with `import type`' },
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'pg', 'kysely', '@nats-io/*', '@temporalio/*', '../infra/*', '../../infra/*'] }],
    },
  },
  {
    // Layers point down (cli, bench > api > services > workflows > activities > infra > domain). Tests may reach up to set a scene.
    files: ['infra/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // search-attributes.ts plays the samples' shared.ts: Temporal's names for the dev server to register.
              group: ['**/activities/*', '**/workflows/*', '!**/workflows/search-attributes', '**/services/*', '**/api/*', '**/cli/*'],
              message: 'infra is below activities, workflows, services, api and cli: move the code down, or the caller up',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['api/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cli/*', '**/activities/*'], message: 'the API calls services/, never the CLI or activities' }] }],
    },
  },
);
