import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, newPage, register, signIn, uniqueEmail } from "./browser";

describe("email and password accounts", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("registers, sees the dashboard, signs out and signs back in", async () => {
    const { context, page } = await newPage(browser);
    const email = uniqueEmail("journey");
    await register(page, email);
    await expect(page.getByRole("heading", { name: "Dashboard" }).isVisible()).resolves.toBe(true);
    await expect(page.getByText("Link Facebook to see your ad accounts").isVisible()).resolves.toBe(true);
    expect(await page.getByTestId("signed-in-as").textContent()).toBe(email);
    expect(await page.getByRole("status", { name: "Meta" }).textContent()).toContain("Not connected");
    // A production server never runs the in-app sandbox, even with Meta simulated elsewhere.
    expect(await page.getByText("Sandbox", { exact: true }).count()).toBe(0);

    const cookie = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/dashboard");
    await page.waitForURL("**/login?callbackUrl=%2Fdashboard");

    await signIn(page, email.toUpperCase());
    expect(await page.getByTestId("signed-in-as").textContent()).toBe(email);
    await context.close();
  });

  it("gives the same message for a wrong password and an unknown email", async () => {
    const { context, page } = await newPage(browser);
    const email = uniqueEmail("wrong");
    await register(page, email);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/");

    const messages: string[] = [];
    for (const [who, password] of [
      [email, "not the password"],
      [uniqueEmail("nobody"), "not the password"],
    ] as const) {
      await page.goto("/login");
      await page.getByLabel("Email").fill(who);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      const alert = page.locator("form [role=alert]");
      await alert.waitFor();
      messages.push((await alert.textContent()) ?? "");
    }
    expect(messages[0]).toBe("Wrong email or password.");
    expect(messages[1]).toBe(messages[0]);
    await context.close();
  });

  it("shows field errors on bad registration input and keeps what was typed", async () => {
    const { context, page } = await newPage(browser);
    await page.goto("/register");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByLabel("Name").fill("Kept Name");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Email must be a valid email address").waitFor();
    expect(await page.getByLabel("Name").inputValue()).toBe("Kept Name");
    expect(await page.getByLabel("Email").inputValue()).toBe("not-an-email");
    await context.close();
  });
});
