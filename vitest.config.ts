// Test configuration: unit tests beside evals, the rest mirrored under tests/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'evals/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
