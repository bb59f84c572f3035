// Two projects so `npm run test:unit` runs the pure specs without the stack.
// kysely, jose, content-disposition and cookie (under fastify) ship ESM only; jest's CommonJS runtime needs it transformed.
const transform = {
  '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
};
const transformIgnorePatterns = ['/node_modules/(?!(kysely|jose|content-disposition|cookie|set-cookie-parser)/)'];
const common = { transform, transformIgnorePatterns, testEnvironment: 'node' };

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/.tools/', '/.data/'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/**/*.int.spec.ts', '<rootDir>/**/*.e2e.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/.tools/', '/.data/'],
      setupFilesAfterEnv: ['<rootDir>/test/support/int-setup.ts'],
    },
  ],
};
