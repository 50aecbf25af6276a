import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { atPath, launchBrowser, linkFacebookAs, newPage, promote, register, uniqueEmail } from "./browser";

/**
 * Ops asks an owner to reconnect Facebook; the owner sees the banner, reconnects through the
 * normal link flow, and the connection is healthy again with the request cleared.
 * Uses the "Pat Pages" sandbox persona (one Facebook identity links to one Linkboard user, so
 * other journeys must not link it).
 */
const OPS_TEXT = "Our team asked you to reconnect Facebook";

const opsRow = (page: Page, ownerEmail: string) => page.getByTestId("ops-connection-row").filter({ hasText: ownerEmail });

describe("ops re-link request", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("ops requests a re-link → the owner sees the banner → reconnects → the connection is healthy again", async () => {
    // The owner links Facebook.
    const owner = await newPage(browser);
    const ownerEmail = uniqueEmail("relink-owner");
    await register(owner.page, ownerEmail);
    await linkFacebookAs(owner.page, /Pat Pages/);
    await owner.page.goto("/dashboard");
    expect(await owner.page.getByText(OPS_TEXT).count()).toBe(0);

    // An ops user (promoted in the database) asks for a re-link from the ops table.
    const ops = await newPage(browser);
    const opsEmail = uniqueEmail("relink-ops");
    await register(ops.page, opsEmail);
    promote(opsEmail, "OPS");
    await ops.page.goto("/ops/connections");
    const row = opsRow(ops.page, ownerEmail);
    await row.waitFor();
    expect(await row.getByTestId("health-badge").textContent()).toBe("Connected");
    expect(await row.textContent()).toContain("Pat Pages");
    await row.getByRole("button", { name: "Request re-link" }).click();
    const dialog = ops.page.getByRole("dialog");
    expect(await dialog.textContent()).toContain(ownerEmail);
    await dialog.getByRole("button", { name: "Send request" }).click();
    await row.getByRole("status").filter({ hasText: "Re-link requested" }).waitFor();

    // The audit trail records who asked.
    await row.getByRole("link", { name: "Audit trail" }).click();
    await atPath(ops.page, /^\/ops\/connections\/[^/?]+$/);
    const events = ops.page.getByRole("list", { name: "Audit events" });
    await events.waitFor();
    expect(await events.textContent()).toContain("relink_requested");
    expect(await events.textContent()).toContain(opsEmail);

    // The ops user sees no banner of their own; the owner does, on the dashboard and in settings.
    await ops.page.goto("/dashboard");
    expect(await ops.page.getByText(OPS_TEXT).count()).toBe(0);
    await owner.page.goto("/dashboard");
    const banner = owner.page.getByTestId("health-banner").filter({ hasText: OPS_TEXT });
    await banner.waitFor();
    await owner.page.goto("/settings/connections");
    await owner.page.getByTestId("health-banner").filter({ hasText: OPS_TEXT }).waitFor();

    // Reconnect goes through the normal link flow (Facebook remembers the grant and passes straight through).
    await owner.page.goto("/dashboard");
    await banner.getByRole("link", { name: "Reconnect" }).click();
    await atPath(owner.page, "/settings/connections");
    await owner.page.getByRole("listitem", { name: "Facebook: Pat Pages" }).getByRole("button", { name: "Reconnect" }).click();
    await atPath(owner.page, "/settings/connections?linked=facebook");
    await owner.page.goto("/dashboard");
    await owner.page.getByRole("heading", { name: "Dashboard" }).waitFor();
    expect(await owner.page.getByText(OPS_TEXT).count()).toBe(0);

    // Ops sees it healthy again, the request cleared and the re-link in the trail.
    await ops.page.goto("/ops/connections?health=connected");
    const healed = opsRow(ops.page, ownerEmail);
    await healed.waitFor();
    expect(await healed.getByTestId("health-badge").textContent()).toBe("Connected");
    expect(await healed.textContent()).not.toContain("Requested");
    await healed.getByRole("link", { name: "Audit trail" }).click();
    const trail = ops.page.getByRole("list", { name: "Audit events" });
    await trail.waitFor();
    expect(await trail.textContent()).toMatch(/relink_requested[\s\S]*relinked/);

    await owner.context.close();
    await ops.context.close();
  });

  it("keeps a USER out of the ops area and its API", async () => {
    const { context, page } = await newPage(browser);
    await register(page, uniqueEmail("relink-user"));
    await page.goto("/ops/connections");
    await atPath(page, "/dashboard?error=forbidden");
    const response = await page.request.get("/api/ops/connections");
    expect(response.status()).toBe(403);
    const post = await page.request.post("/api/ops/connections/anything/request-relink", { headers: { origin: new URL(page.url()).origin } });
    expect(post.status()).toBe(403);
    await context.close();
  });
});
