import "server-only";
import { z } from "zod";
import { env, EnvError } from "@/env";
import type { ProviderSettings } from "./types";

/**
 * Settings of an OAuth provider from its own environment variables, for adapters to call in
 * `settings()` — so a new provider needs no change to src/env.ts. Credentials present → the real
 * platform; absent outside production → its sandbox (with the emulator's fixed sandbox client, the
 * URLs pointing at /sandbox/<emulator>); absent in production → "Not configured", listing what to set.
 * A malformed URL stops with an EnvError naming the variable.
 */
export type OAuthSettings = ProviderSettings & {
  clientId: string;
  clientSecret: string;
  /** Base URLs by name (e.g. { web, api }), without a trailing slash. */
  urls: Record<string, string>;
};

export type OAuthSettingsSpec = {
  /** e.g. "X_CLIENT_ID" / "X_CLIENT_SECRET" (TikTok: TIKTOK_CLIENT_KEY). */
  idVar: string;
  secretVar: string;
  /** Base URL variables and their real defaults, e.g. { web: ["X_WEB_URL", "https://x.com"] }. */
  urls: Record<string, readonly [variable: string, realDefault: string]>;
  /** The emulator serving this provider in development, and the client it knows. */
  sandbox: { emulator: string; clientId: string; clientSecret: string };
  hint: string;
};

const url = z.url().transform((v) => v.replace(/\/+$/, ""));

export function oauthSettings(spec: OAuthSettingsSpec, source: Record<string, string | undefined> = process.env): OAuthSettings {
  const { nodeEnv, authUrl } = env();
  const id = source[spec.idVar]?.trim() || undefined;
  const secret = source[spec.secretVar]?.trim() || undefined;
  const configured = Boolean(id && secret);
  const sandbox = !configured && nodeEnv !== "production";
  const urls: Record<string, string> = {};
  for (const [name, [variable, realDefault]] of Object.entries(spec.urls)) {
    const given = source[variable]?.trim();
    if (given) {
      const parsed = url.safeParse(given);
      if (!parsed.success) throw new EnvError(`Invalid environment:\n- ${variable}: must be a URL`);
      urls[name] = parsed.data;
    } else urls[name] = sandbox ? `${authUrl}/sandbox/${spec.sandbox.emulator}` : realDefault;
  }
  const missing = configured || sandbox ? [] : [spec.idVar, spec.secretVar].filter((v) => !source[v]?.trim()).map((name) => ({ name, hint: spec.hint }));
  return {
    configured: configured || sandbox,
    sandbox,
    missing,
    clientId: id ?? (sandbox ? spec.sandbox.clientId : ""),
    clientSecret: secret ?? (sandbox ? spec.sandbox.clientSecret : ""),
    urls,
  };
}
