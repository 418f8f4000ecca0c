/**
 * ESLint for the whole repository: TypeScript everywhere (mini-program, cloud functions, local cloud,
 * scripts, tests), plain JavaScript config files, and the mini-program's WXML templates.
 */
import js from '@eslint/js';
import wxmlParser from '@wxml/parser';
import { defineConfig, globalIgnores } from 'eslint/config';
import wxml from 'eslint-plugin-wxml';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Importing the SDK: the runtime's wrapper or wx-server-sdk itself. */
const SDK = {
  regex: '(^|/)runtime/sdk$|^wx-server-sdk$',
  message: 'Only the runtime and a store (shared/<capability>/store.ts, store-*.ts) touch the SDK: ask the store.',
};

/**
 * The store that owns each collection. A new collection is added here with its store. A store too long
 * for one file goes on in `store-<part>.ts` beside it (re-exported by store.ts): they own the same ones.
 */
const OWNERS = {
  'cloudfunctions/shared/order/store.ts': ['orders', 'config', 'reveals'],
  'cloudfunctions/shared/user/store.ts': ['users', 'households', 'bindings', 'volunteers'],
  'cloudfunctions/shared/org/store.ts': ['orgs'],
  'cloudfunctions/shared/notify/store.ts': ['messages', 'subscriptions'],
  'cloudfunctions/shared/runtime/counters.ts': ['counters'],
  'cloudfunctions/shared/integral/store.ts': [
    'integralRules',
    'integralClaims',
    'integralLedger',
    'integralBalances',
    'integralTallies',
    'integralCaps',
    'integralItems',
    'integralRedemptions',
    'integralSettings',
  ],
  'cloudfunctions/shared/activity/store.ts': [
    'activities',
    'signups',
    'checkins',
    'attempts',
    'hours',
    'certificates',
    'activitySettings',
  ],
  'cloudfunctions/shared/stats/store.ts': ['figures', 'figureMarks', 'figureRollups', 'statsSettings'],
};

/** A call naming one of the collections: db.collection('x'), or a transaction's get/add/update/set('x', …). */
const naming = (names) =>
  `CallExpression[callee.property.name=/^(collection|get|add|update|set)$/][arguments.0.value=/^(${names.join('|')})$/]`;

/** Everywhere in the functions, no collection of another store; in each store, none but its own. */
function collectionRules() {
  const all = Object.values(OWNERS).flat();
  const rule = (names) => ({
    'no-restricted-syntax': [
      'error',
      { selector: naming(names), message: 'This collection belongs to another store: call that store instead.' },
    ],
  });
  return [
    { files: ['cloudfunctions/**/*.ts'], rules: rule(all) },
    ...Object.entries(OWNERS).map(([store, own]) => ({
      files: [store, store.replace(/store\.ts$/, 'store-*.ts')],
      rules: rule(all.filter((c) => !own.includes(c))),
    })),
  ];
}

export default defineConfig(
  globalIgnores([
    'node_modules/',
    '.build/',
    '.data/',
    'coverage/',
    'cloudfunctions/*/index.js',
    'cloudfunctions/*/node_modules/',
    'miniprogram/miniprogram_npm/',
    // Generated from typings/ by scripts/build.ts: lint the original.
    'miniprogram/contract/',
  ]),

  {
    // A directive that silences nothing hides the next real problem on that line.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },

  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // `_` marks what is deliberately unused: a parameter a callback must accept, a field split off a rest.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },

  {
    // A source file a reader can hold in their head: past 400 lines, split it by concern (tests aside).
    files: [
      'cloudfunctions/**/*.ts',
      'miniprogram/**/*.ts',
      'localcloud/**/*.ts',
      'scripts/**/*.ts',
      'typings/**/*.ts',
      'bigscreen/**/*.ts',
    ],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },

  // ── the cloud side's layers (docs/ARCHITECTURE.md) ──────────────────────────────────────────
  {
    // Only the runtime and the stores touch the SDK: actions, I/O shells and domain modules go through a store.
    files: ['cloudfunctions/**/*.ts'],
    ignores: [
      'cloudfunctions/shared/runtime/**',
      'cloudfunctions/shared/*/store.ts',
      'cloudfunctions/shared/*/store-*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [SDK] }] },
  },
  {
    // A domain module is pure: it imports typings/ and other domain modules, nothing that does I/O.
    files: ['cloudfunctions/shared/*/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            SDK,
            {
              // node:crypto is allowed: HMAC and random ids are computation on the arguments, no I/O.
              regex: '^(?!\\./|.*/domain/|.*/typings/|node:crypto$)',
              message:
                'A domain module imports only typings/, other domain/ modules and node:crypto: no store, runtime or I/O.',
            },
          ],
        },
      ],
    },
  },
  // Each collection is read and written by its owner's store only (OWNERS); every other module asks it.
  ...collectionRules(),

  {
    files: ['**/*.wxml'],
    plugins: { wxml },
    languageOptions: { parser: wxmlParser },
    rules: {
      'wxml/report-wxml-syntax-error': 'error',
      'wxml/report-interpolation-error': 'error',
      'wxml/no-duplicate-attributes': 'error',
      'wxml/no-inconsistent-tagname': 'error',
      'wxml/no-unexpected-string-bool': 'error',
      'wxml/no-wx-for-with-wx-if': 'error',
      'wxml/no-wx-for-with-wx-else': 'error',
      'wxml/no-vue-directive': 'error',
      'wxml/wx-key': 'error',
      'wxml/no-dot-this-in-wx-key': 'error',
      'wxml/no-index-in-wx-key': 'error',
      'wxml/wxs-must-be-top-level': 'error',
      'wxml/no-const-and-let-in-wxs': 'error',
      'wxml/report-wxs-syntax-error': 'error',
      // WXML audits flag deep trees (体验评分: depth < 30); keep templates far below that.
      'wxml/max-depth': ['error', 15],
    },
  },
);
