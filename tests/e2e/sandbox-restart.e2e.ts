import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { prepareProductionServer, startProductionServer, type ProductionServer } from "../helpers/production-server";
import { launchBrowser, linkFacebookAs, register, uniqueEmail } from "./browser";

/**
 * Restarting the server keeps every sandbox link working: this journey runs its own server (same
 * build, its own data directory and secrets), links Facebook, stops the server, starts it again on
 * the same data, and the connection is still healthy and refreshes from the sandbox with the
 * stored token.
 */
describe("the sandbox across a server restart", () => {
  let browser: Browser;
  let server: ProductionServer | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("link → restart the server → still connected, and a refresh from Meta succeeds", async () => {
    const prepared = await prepareProductionServer("restart");
    server = await startProductionServer(prepared, { stdout: "ignore" });
    const context = await browser.newContext({ baseURL: server.baseUrl });
    const page = await context.newPage();
    await register(page, uniqueEmail("restart"));
    await linkFacebookAs(page, /Sam Solo/);
    const card = page.getByRole("listitem", { name: "Facebook: Sam Solo" });
    expect(await card.getByTestId("connection-status").textContent()).toBe("Connected");
    // A production server talks to the sandbox as to Meta: no Sandbox badge, never a reset.
    expect(await page.getByText("Sandbox", { exact: true }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Reset sandbox" }).count()).toBe(0);

    await server.stop({ keepDataDir: true });
    server = await startProductionServer(prepared, { stdout: "ignore" });

    await page.goto("/settings/connections");
    expect(await card.getByTestId("connection-status").textContent()).toBe("Connected");
    await page.goto("/dashboard");
    await page.getByRole("button", { name: "Refresh from Meta" }).click();
    await page.getByRole("status").filter({ hasText: "Up to date: 1 ad accounts" }).waitFor({ timeout: 20_000 });
    await page.goto("/settings/connections");
    expect(await card.getByTestId("connection-status").textContent()).toBe("Connected");
    await context.close();
  });
});
