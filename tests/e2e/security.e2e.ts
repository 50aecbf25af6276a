import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { BASE_URL, launchBrowser, newPage, takeCspViolations } from "./browser";

describe("security headers in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("serves pages with a nonce CSP, nosniff and a referrer policy, and no HSTS over http", async () => {
    const { context, page } = await newPage(browser);
    const response = await page.goto("/login");
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic';/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["strict-transport-security"]).toBeUndefined();
    // The page's own scripts run under it: the form is interactive.
    await page.getByLabel("Email").fill("nobody@example.com");
    await context.close();
  });

  it("refuses to be framed by another site", async () => {
    const { context, page } = await newPage(browser);
    await page.setContent(`<iframe id="f" src="${BASE_URL}/login" width="400" height="300"></iframe>`);
    const frame = await (await page.$("#f"))!.contentFrame();
    await page.waitForLoadState("load");
    const text = frame ? await frame.evaluate(() => document.body?.innerText ?? "").catch(() => "") : "";
    expect(text).not.toContain("Sign in");
    await context.close();
    // The browser reported the refusal as a CSP violation; that one is expected here.
    expect(takeCspViolations().some((v) => /frame-ancestors/.test(v))).toBe(true);
  });
});
