import { defineConfig } from "vitest/config";
import path from "node:path";

// Database suites (*.db.test.ts) run on in-memory PGlite, and once more on PostgreSQL when
// TEST_DATABASE_URL is set. Everything else runs once.
const alias = { "@": path.join(process.cwd(), "src") };
const unitInclude = ["src/**/*.test.ts", "scripts/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/fuzz/**/*.test.ts"];
const dbInclude = ["src/**/*.db.test.ts", "scripts/**/*.db.test.ts", "tests/integration/**/*.db.test.ts", "tests/fuzz/**/*.db.test.ts"];

export default defineConfig({
  resolve: { alias },
  test: {
    setupFiles: ["tests/setup/fail-on-console-error.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: "pglite",
          include: unitInclude,
          setupFiles: ["tests/setup/fail-on-console-error.ts"],
          server: { deps: { inline: ["next-auth"] } },
          env: { TEST_DB_BACKEND: "pglite" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              resolve: { alias },
              test: {
                name: "postgres",
                include: dbInclude,
                setupFiles: ["tests/setup/fail-on-console-error.ts"],
                server: { deps: { inline: ["next-auth"] } },
                env: { TEST_DB_BACKEND: "postgres" },
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
    ],
  },
});
