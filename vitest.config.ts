import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/testRunRoot.ts'],
    // DuckDB's native addon is happiest in forked processes (see tech notes).
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
