import "server-only";
import { AppError } from "@/server/errors";
import { facebook } from "./facebook";
import type { ProviderAdapter } from "./types";

/**
 * Every provider Linkboard can link, in the order the settings page shows them. Adding a provider
 * is one folder under src/server/integrations/ and one line here (README "Adding a provider").
 */
export const PROVIDERS: readonly ProviderAdapter[] = [
  facebook,
];

/** Lookups over a list of adapters; services take one in their deps so tests can wire a sandbox. */
export type Registry = {
  all(): readonly ProviderAdapter[];
  find(id: string): ProviderAdapter | undefined;
  get(id: string): ProviderAdapter;
};

export function createRegistry(adapters: readonly ProviderAdapter[]): Registry {
  const byId = new Map(adapters.map((a) => [a.id, a]));
  return {
    all: () => adapters,
    find: (id) => byId.get(id),
    get(id) {
      const adapter = byId.get(id);
      if (!adapter) throw new AppError({ code: "NOT_FOUND", message: `Linkboard does not know the provider "${id}".` });
      return adapter;
    },
  };
}

export const registry: Registry = createRegistry(PROVIDERS);

/** Providers linked through Auth.js, for auth.ts and the route guard. */
export function oauthProviders(r: Registry = registry): ProviderAdapter[] {
  return r.all().filter((a) => a.link.kind === "oauth" && a.settings().configured);
}
