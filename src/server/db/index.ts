import "server-only";
import { env } from "@/env";
import { parseKeyRing } from "@/server/crypto";
import { createAppClient, type AppClient } from "./vault";

/** The app's database client: Prisma with the vault extension, so tokens are sealed at rest. */
export type Db = AppClient;

/**
 * Created on first use and cached on globalThis: Next gives route bundles separate module state,
 * and a second client would open a second pool.
 */
const holder = globalThis as unknown as { __linkboardDb?: Db };

export function databaseUrl(): string {
  // `npm run dev` and `npm start` always set it (to the embedded database when the operator did not).
  const url = env().databaseUrl;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm run dev` or `npm start`, not `next` directly.");
  return url;
}

export function db(): Db {
  holder.__linkboardDb ??= createAppClient(databaseUrl(), parseKeyRing(env().encryptionKeys));
  return holder.__linkboardDb;
}
