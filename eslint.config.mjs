import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'coverage/', 'test/histories/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The few plain CommonJS files jest loads itself (its config, the summary reporter).
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no clients.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'pg', 'kysely', '@nats-io/*', '@temporalio/client', '@temporalio/worker', '../infra/*'], message: 'workflow code is deterministic: no I/O, no clients' },
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
);
