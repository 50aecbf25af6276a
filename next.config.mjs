import { PHASE_PRODUCTION_BUILD } from "next/constants.js";
import { tsImport } from "tsx/esm/api";

/** @type {(phase: string) => Promise<import("next").NextConfig>} */
export default async function config(phase) {
  // Validate the environment with the app's own schema: a malformed value fails the build or the
  // start with a readable message. Missing production secrets are only required at run time.
  if (phase !== PHASE_PRODUCTION_BUILD) {
    const { loadEnv } = await tsImport("./src/env.ts", import.meta.url);
    loadEnv();
  }
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    // `npm test` type-checks the whole project (tsc --noEmit); the build does not do it again.
    typescript: { ignoreBuildErrors: true },
    serverExternalPackages: [
      "@electric-sql/pglite",
      "@electric-sql/pglite-socket",
      "@prisma/adapter-pg",
      "pg",
      "pg-boss",
      "pino",
      "@node-rs/argon2",
    ],
  };
}
