import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, linkFacebookAs, newPage, promote, register, uniqueEmail } from "./browser";

/**
 * The ops connection table fits its container on a laptop (1280 px) and on a phone (390 px):
 * measured in the browser, the table is never wider than the box around it and the page never
 * scrolls sideways, with a long owner email in it. Uses the "Dana Disabled" persona.
 */
describe("ops connections layout", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("fits at 1280 px and at 390 px, long owner email included", async () => {
    const owner = await newPage(browser);
    const ownerEmail = uniqueEmail("dana.disabled.account-owner.with.a.rather.long.address+ads.at.crescent-retail-group");
    await register(owner.page, ownerEmail);
    await linkFacebookAs(owner.page, /Dana Disabled/);
    await owner.context.close();

    const ops = await newPage(browser);
    const opsEmail = uniqueEmail("layout-ops");
    await register(ops.page, opsEmail);
    promote(opsEmail, "OPS");
    for (const width of [1280, 390]) {
      await ops.page.setViewportSize({ width, height: 900 });
      await ops.page.goto("/ops/connections");
      const row = ops.page.getByTestId("ops-connection-row").filter({ hasText: ownerEmail });
      await row.waitFor();
      const m = await ops.page.getByTestId("ops-table-container").evaluate((box) => {
        const table = box.querySelector("table")!;
        return { table: table.scrollWidth, box: box.clientWidth, boxScroll: box.scrollWidth, page: document.documentElement.scrollWidth };
      });
      expect(m.table, `table wider than its container at ${width} px`).toBeLessThanOrEqual(m.box);
      expect(m.boxScroll, `container scrolls sideways at ${width} px`).toBeLessThanOrEqual(m.box);
      expect(m.page, `page scrolls sideways at ${width} px`).toBeLessThanOrEqual(width);
      // The whole owner email is inside the visible box.
      const email = row.getByText(ownerEmail, { exact: true });
      const [emailBox, container] = [await email.boundingBox(), await ops.page.getByTestId("ops-table-container").boundingBox()];
      expect(emailBox!.x + emailBox!.width).toBeLessThanOrEqual(container!.x + container!.width);
    }
    await ops.context.close();
  });
});
