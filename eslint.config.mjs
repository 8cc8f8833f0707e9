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
      'no-console': ['error', { allow: [] }],
    },
  },
  {
    // The local runner and CLI scripts talk to a person at a terminal.
    files: ['infra/src/**', 'schema/src/**', '**/src/cli/**'],
    rules: { 'no-console': 'off' },
  },
);
