// Test configuration: every test lives under tests/, mirroring the folder of the code it tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Most files wait on subprocesses, servers and containers, not on the CPU: three at a time on two cores cut
    // the suite from about 460 s to about 300 s (.ci/run must stay well under 15 minutes).
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
