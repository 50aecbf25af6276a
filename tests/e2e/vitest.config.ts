import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.join(process.cwd(), "src") } },
  test: {
    name: "e2e",
    include: ["tests/e2e/**/*.e2e.ts"],
    setupFiles: ["tests/e2e/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Journeys share one server; run files one after another.
    fileParallelism: false,
  },
});
