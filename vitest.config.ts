import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // type-graphql and Apollo load graphql's CommonJS build through Node; the test transform
    // would otherwise pick its .mjs build, and graphql refuses types from "another realm".
    alias: { graphql: require.resolve("graphql") },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/setup/processes.global.ts", "tests/setup/template-database.global.ts"],
    pool: "forks",
    // Limits for a hung test, not a measure of speed: far above what a loaded 2-core machine
    // needs. Tests that run commands or browsers set larger ones of their own.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
