import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { useAppEnv as configureApp } from "@kit/app-env";

// Every response passes through the proxy, which sets the security headers at run time (so they
// follow AUTH_URL and META_WEB_URL as configured where the app runs, not where it was built).
const saved = { ...process.env };
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

const PRODUCTION = { NODE_ENV: "production", META_APP_ID: "123", META_APP_SECRET: "s", AUTH_URL_ALLOW_HTTP: "1", SMTP_URL: "smtp://127.0.0.1:2525", MAIL_FROM: "no-reply@example.com" };

async function headersFor(path: string, env: Record<string, string>, cookie?: string) {
  configureApp("", { ...(env.NODE_ENV === "production" ? PRODUCTION : {}), ...env });
  const { proxy } = await import("@/proxy");
  const response = proxy(new NextRequest(`${env.AUTH_URL ?? "http://localhost:3000"}${path}`, { headers: cookie ? { cookie } : {} }));
  return response.headers;
}

const directives = (csp: string | null) => Object.fromEntries((csp ?? "").split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

describe("security headers", () => {
  it("pages, API routes and the sandbox all get a nonce CSP that forbids framing, nosniff and a referrer policy", async () => {
    for (const path of ["/", "/login", "/api/meta/status", "/sandbox/meta/v25.0/dialog/oauth"]) {
      const headers = await headersFor(path, { NODE_ENV: "production", AUTH_URL: "http://localhost:3000", META_WEB_URL: "http://127.0.0.1:4010" });
      const csp = directives(headers.get("content-security-policy"));
      expect(csp["frame-ancestors"]).toEqual(["'none'"]);
      expect(csp["object-src"]).toEqual(["'none'"]);
      expect(csp["base-uri"]).toEqual(["'none'"]);
      expect(csp["script-src"]).toEqual(expect.arrayContaining(["'self'", "'strict-dynamic'", expect.stringMatching(/^'nonce-[A-Za-z0-9+/=]{20,}'$/)]));
      expect(csp["script-src"]).not.toContain("'unsafe-inline'");
      expect(csp["script-src"]).not.toContain("'unsafe-eval'");
      // The Facebook Login dialog is reached by a form's redirect.
      expect(csp["form-action"]).toEqual(["'self'", "http://127.0.0.1:4010"]);
      expect(headers.get("x-content-type-options")).toBe("nosniff");
      expect(headers.get("referrer-policy")).toBe("same-origin");
      expect(headers.get("x-frame-options")).toBe("DENY");
      expect(headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("a fresh nonce per response", async () => {
    const env = { NODE_ENV: "production", AUTH_URL: "http://localhost:3000" };
    const a = (await headersFor("/", env)).get("content-security-policy");
    const b = (await headersFor("/", env)).get("content-security-policy");
    expect(a).not.toBe(b);
  });

  it("HSTS and upgrade-insecure-requests only when the app is served over https", async () => {
    const headers = await headersFor("/login", { NODE_ENV: "production", AUTH_URL: "https://app.example.com", META_WEB_URL: "" });
    expect(headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(directives(headers.get("content-security-policy"))).toHaveProperty("upgrade-insecure-requests");
    expect(directives(headers.get("content-security-policy"))["form-action"]).toEqual(["'self'", "https://www.facebook.com"]);
  });

  it("development allows what Next's dev server needs (eval for fast refresh)", async () => {
    const headers = await headersFor("/", { NODE_ENV: "development", AUTH_URL: "http://localhost:3000" });
    expect(directives(headers.get("content-security-policy"))["script-src"]).toContain("'unsafe-eval'");
  });

  it("keeps the coarse session gate: a protected page without a session still redirects, with the headers", async () => {
    const headers = await headersFor("/dashboard", { NODE_ENV: "production", AUTH_URL: "http://localhost:3000" });
    expect(headers.get("location")).toBe("http://localhost:3000/login?callbackUrl=%2Fdashboard");
    expect(headers.get("x-content-type-options")).toBe("nosniff");
  });
});
