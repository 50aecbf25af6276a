import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { atPath, launchBrowser, linkFacebookAs, newPage, register, uniqueEmail } from "./browser";

describe("link Facebook and choose an ad account", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("links as the agency persona, searches, selects, keeps the choice, disconnects and links again", async () => {
    const { context, page } = await newPage(browser);
    await register(page, uniqueEmail("agency"));

    await page.goto("/settings/connections");
    await page.getByRole("button", { name: "Link Facebook" }).click();

    // The sandbox's Login dialog.
    await page.waitForURL(/\/v25\.0\/dialog\/oauth/);
    await page.getByLabel(/Avery Agency/).check();
    expect(await page.getByRole("checkbox", { name: "ads_read" }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Continue" }).click();

    await atPath(page, "/settings/connections?linked=facebook");
    await page.getByText("Facebook is linked.").waitFor();
    const card = page.getByRole("listitem", { name: "Facebook: Avery Agency" });
    expect(await card.getByTestId("ad-account-count").textContent()).toBe("1200");
    expect(await card.getByTestId("connection-status").textContent()).toBe("Connected");

    await page.goto("/dashboard");
    expect(await page.getByRole("status", { name: "Meta" }).textContent()).toContain("Connected");
    await page.getByRole("button", { name: "Select" }).first().waitFor();

    // Server-side search by id finds one account.
    await page.getByLabel("Search ad accounts").fill("act_1220000000042");
    await page.waitForFunction(() => document.querySelectorAll('button').length > 0 && !document.querySelector('[aria-busy="true"]'));
    const rows = page.locator("li[aria-label]").filter({ has: page.getByRole("button", { name: "Select" }) });
    await expect.poll(() => rows.count()).toBe(1);
    const name = (await rows.first().getAttribute("aria-label"))!;
    await rows.first().getByRole("button", { name: "Select" }).click();

    const selected = page.getByRole("region", { name: "Selected ad account" });
    await expect.poll(() => selected.textContent()).toContain(name);
    await page.reload();
    expect(await page.getByRole("region", { name: "Selected ad account" }).textContent()).toContain("act_1220000000042");

    // Disconnect with confirmation.
    await page.goto("/settings/connections");
    await page.getByRole("button", { name: "Disconnect" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Disconnect" }).click();
    await atPath(page, /^\/settings\/connections\?disconnected=/);
    await page.getByText("No connections yet.").waitFor();
    await page.goto("/dashboard");
    expect(await page.getByRole("status", { name: "Meta" }).textContent()).toContain("Not connected");

    // Link again: disconnecting revoked the grant at Facebook, so the dialog asks once more.
    await linkFacebookAs(page, /Avery Agency/);
    expect(await page.getByRole("listitem", { name: "Facebook: Avery Agency" }).getByTestId("ad-account-count").textContent()).toBe("1200");
    await context.close();
  });

  it("shows 'Facebook linking was cancelled' when the dialog is cancelled", async () => {
    const { context, page } = await newPage(browser);
    await register(page, uniqueEmail("cancel"));
    await page.goto("/settings/connections");
    await page.getByRole("button", { name: "Link Facebook" }).click();
    await page.waitForURL(/dialog\/oauth/);
    await page.getByRole("button", { name: "Cancel" }).click();
    await atPath(page, "/settings/connections?error=cancelled");
    await page.getByText("Facebook linking was cancelled.").waitFor();
    await page.getByText("No connections yet.").waitFor();
    await context.close();
  });
});
