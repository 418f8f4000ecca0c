/**
 * Two kinds of test (TOOLCHAIN.md): `node` for the domain, the local cloud, the functions end to end
 * and the tooling checks; `pages` for pages and components under jsdom with miniprogram-simulate.
 * `npm test` builds first (scripts/build.ts), so the functions under test are the ones that deploy.
 * After the page suite, its global teardown runs the recompute check over the pages' shared local
 * cloud, and the results processor counts that verdict as one more test (tests/pages/after-suite.ts).
 */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  // A guard against a hang, not a measure of speed: on a shared 2-core machine running a second copy of
  // the suite, starting a demo cloud or a page's round trips can take tens of seconds. Speed is measured
  // by `npm run bench`, never here.
  testTimeout: 120_000,
  watchman: false,
  testResultsProcessor: '<rootDir>/tests/pages/after-suite-results.js',
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests'],
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/tests/pages/'],
      transform: { '^.+\\.(t|j)s$': swc },
      transformIgnorePatterns: ['/node_modules/(?!(mingo)/)'],
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'pages',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/tests/pages'],
      testMatch: ['<rootDir>/tests/pages/**/*.test.ts'],
      transform: { '^.+\\.(t|j)s$': swc },
      moduleFileExtensions: ['ts', 'js', 'json'],
      // A library component's `import … from 'tslib'` finds the copy packed beside it, as on the phone.
      moduleDirectories: ['node_modules', 'miniprogram_npm'],
      setupFiles: ['<rootDir>/tests/pages/setup.ts'],
      globalSetup: '<rootDir>/tests/pages/global-setup.ts',
      globalTeardown: '<rootDir>/tests/pages/global-teardown.ts',
    },
  ],
};
