import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['api/**/*.test.ts', 'tests/**/*.test.ts', 'frontend/src/**/*.test.ts'],
    // PGlite and PostgreSQL start-up, and browser tests, take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
