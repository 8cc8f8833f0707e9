// One lint configuration for every workspace; each package runs `eslint src` (bench: `eslint .`).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Compiled output and config files are not linted; the bench scripts are (plain CommonJS).
  { ignores: ['**/dist/**', '**/dist-server/**', 'web/src/gql/**', '**/node_modules/**', '**/*.mjs', '**/*.js', '!bench/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-console': 'error',
    },
  },
  {
    // Tests read GraphQL responses by shape; typing every response would hide the assertions.
    files: ['**/*.test.ts', '**/__tests__/**', 'packages/testing/src/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The local runner and CLI scripts talk to a person at a terminal.
    files: ['infra/src/**', 'schema/src/**', '**/src/cli/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The benches are Node scripts that report to a terminal; they require the compiled workspaces.
    files: ['bench/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-console': 'off' },
  },
);
