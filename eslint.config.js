// ESLint 9 flat config: typescript-eslint's recommended rules without type information, so a lint of
// the whole tree stays a few seconds on two cores; tsc (noUnusedLocals, noUnusedParameters) is the
// type-aware check and runs beside it in .ci/run.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'data/', 'bench/out/', 'tests/fixtures/', 'tests/.tmp/', 'docs/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      // tsc reports unused locals and parameters (tsconfig.json); one report per mistake is enough.
      '@typescript-eslint/no-unused-vars': 'off',
      'no-unused-vars': 'off',
      // == null is the one loose comparison worth keeping: it means "null or undefined".
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // stdout belongs to the command line's output; servers and tests report problems on stderr.
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // `declare global { namespace Express … }` is how Express's request type learns about sessions.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      // A destructuring whose names are partly reassigned stays one `let` rather than being split.
      'prefer-const': ['error', { destructuring: 'all' }],
      'no-var': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The browser side: DOM globals, no Node.
    files: ['client/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests run pages in jsdom and Chromium, so they see both worlds.
    files: ['tests/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    // Tests read JSON response bodies whose shape is exactly what their assertions check.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Programs whose output is the point: the command line, benchmarks, scripts, the demo's progress.
    files: ['bin/**', 'bench/**', 'tests/support/**', 'vite.config.ts', 'eslint.config.js', '.dependency-cruiser.cjs'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
