// Lint for the whole TypeScript code base: typescript-eslint's type-aware recommended rules
// (https://typescript-eslint.io/getting-started/typed-linting/ : recommendedTypeChecked with the project service),
// tuned only where the house style already decides. Run with `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `const { secret, ...rest } = config` is how a value is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
      // Channels and sources implement interfaces whose methods return promises; some have nothing to await.
      '@typescript-eslint/require-await': 'off',
      // Input checks reject control characters with regular expressions that name them.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // jest's asymmetric matchers (expect.any, expect.objectContaining, ...) are typed `any` by @types/jest.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
