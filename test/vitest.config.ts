import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Files run in parallel: each makes its own database and Redis key prefix.
    fileParallelism: true,
    setupFiles: ['test/support/setup.ts'],
  },
});
