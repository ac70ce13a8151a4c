import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Vitest's default, one worker fewer than the cores, is a single worker on a 2-core machine,
    // while the slowest tests mostly wait on child processes (esbuild, tsc, cfn-lint, terraform,
    // npm pack, cdk synth, Chromium): two workers take `npm test` from about 216 s to 132 s there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
