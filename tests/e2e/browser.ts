import { spawnSync } from "node:child_process";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const BASE_URL = process.env.E2E_BASE_URL ?? "http://localhost:3000";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Content-Security-Policy violations seen by any page of any journey (tests/e2e/setup.ts fails on them). */
const violations: string[] = [];
export function takeCspViolations(): string[] {
  return violations.splice(0);
}

export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  context.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${message.location().url}: ${message.text()}`);
  });
  const page = await context.newPage();
  return { context, page };
}

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

export async function register(page: Page, email: string, password = "correct horse battery", name = "Test User") {
  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/dashboard");
}

export async function signIn(page: Page, email: string, password = "correct horse battery") {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/dashboard");
}

/** Waits for a URL by path and query, ignoring any fragment (Facebook appends `#_=_`). */
export function atPath(page: Page, pathAndQuery: string | RegExp) {
  return page.waitForURL((url) => {
    const here = url.pathname + url.search;
    return typeof pathAndQuery === "string" ? here === pathAndQuery : pathAndQuery.test(here);
  });
}

/** From Settings → Connections: "Link Facebook", continue as `persona` in the sandbox's dialog, back on settings. */
export async function linkFacebookAs(page: Page, persona: RegExp) {
  await page.goto("/settings/connections");
  await page.getByRole("button", { name: "Link Facebook" }).click();
  await page.waitForURL(/\/v25\.0\/dialog\/oauth/);
  await page.getByLabel(persona).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await atPath(page, "/settings/connections?linked=facebook");
}

/** Promotes through the CLI, which connects to the running server's embedded database (DATA_DIR). */
export function promote(email: string, role: "OPS" | "ADMIN") {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  if (!env.DATA_DIR) throw new Error("DATA_DIR must be set (npm run test:e2e passes the server's)");
  const result = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--import", "./scripts/server-only.mjs", "scripts/user-role.ts", email, role], { env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`user:role failed: ${result.stderr || result.stdout}`);
}
