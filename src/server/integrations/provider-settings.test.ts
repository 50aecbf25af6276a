import { afterEach, describe, expect, it } from "vitest";
import { PRODUCTION_CONFIG } from "@kit/production-config";
import { EnvError } from "@/env";
import { oauthSettings, type OAuthSettingsSpec } from "./provider-settings";

const spec: OAuthSettingsSpec = {
  idVar: "EXAMPLE_CLIENT_ID",
  secretVar: "EXAMPLE_CLIENT_SECRET",
  urls: { web: ["EXAMPLE_WEB_URL", "https://example.com"], api: ["EXAMPLE_API_URL", "https://api.example.com"] },
  sandbox: { emulator: "example", clientId: "sandbox-id", clientSecret: "sandbox-secret" },
  hint: "from the example developer portal",
};

const saved = { ...process.env };

function withEnv(vars: Record<string, string>) {
  (globalThis as { __linkboardEnv?: unknown }).__linkboardEnv = undefined;
  Object.assign(process.env, { AUTH_SECRET: "x".repeat(40), ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString("base64")}`, AUTH_URL: "http://localhost:3000", ...vars });
}
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  (globalThis as { __linkboardEnv?: unknown }).__linkboardEnv = undefined;
});

describe("oauthSettings", () => {
  it("uses the real platform when credentials are set, with trimmed URLs", () => {
    withEnv({ NODE_ENV: "development", META_SANDBOX: "1" });
    const s = oauthSettings(spec, { EXAMPLE_CLIENT_ID: "id", EXAMPLE_CLIENT_SECRET: "secret", EXAMPLE_API_URL: "https://proxy.example.com/" });
    expect(s).toEqual({ configured: true, sandbox: false, missing: [], clientId: "id", clientSecret: "secret", urls: { web: "https://example.com", api: "https://proxy.example.com" } });
  });

  it("uses the sandbox outside production when credentials are missing", () => {
    withEnv({ NODE_ENV: "development", META_SANDBOX: "1" });
    expect(oauthSettings(spec, {})).toMatchObject({
      configured: true,
      sandbox: true,
      clientId: "sandbox-id",
      urls: { web: "http://localhost:3000/sandbox/example", api: "http://localhost:3000/sandbox/example" },
    });
  });

  it("is Not configured in production without credentials, naming what to set — never the sandbox", () => {
    withEnv(PRODUCTION_CONFIG);
    const s = oauthSettings(spec, { EXAMPLE_CLIENT_ID: "id" });
    expect(s).toMatchObject({ configured: false, sandbox: false, clientId: "id", clientSecret: "", urls: { web: "https://example.com" } });
    expect(s.missing).toEqual([{ name: "EXAMPLE_CLIENT_SECRET", hint: "from the example developer portal" }]);
  });

  it("refuses a malformed base URL with the variable's name", () => {
    withEnv({ NODE_ENV: "development", META_SANDBOX: "1" });
    expect(() => oauthSettings(spec, { EXAMPLE_WEB_URL: "not a url" })).toThrow(EnvError);
    expect(() => oauthSettings(spec, { EXAMPLE_WEB_URL: "not a url" })).toThrow(/EXAMPLE_WEB_URL: must be a URL/);
  });
});
