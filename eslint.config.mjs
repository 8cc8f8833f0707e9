// One lint configuration for every workspace; each package runs `eslint src`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.mjs', '**/*.js'] },
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
);
