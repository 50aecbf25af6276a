import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, linkFacebookAs, newPage, register, uniqueEmail } from "./browser";

/** The spend tile's text once the panel has settled (not busy, tiles shown). */
async function settledSpend(page: Page): Promise<string> {
  const panel = page.getByRole("region", { name: "Insights" });
  await expect.poll(() => panel.getAttribute("aria-busy"), { timeout: 20_000 }).toBe("false");
  return (await panel.getByRole("group", { name: "Spend" }).getByTestId("tile-spend").textContent()) ?? "";
}

function parseCsv(text: string) {
  const [header, ...lines] = text.trim().split(/\r?\n/).map((l) => l.split(","));
  return { header: header!, rows: lines.filter((l) => l[0] !== "total"), total: lines.find((l) => l[0] === "total")! };
}

describe("insights for the selected ad account", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("select an account → tiles and chart → change preset → numbers change → CSV with the same totals", async () => {
    const { context, page } = await newPage(browser);
    await register(page, uniqueEmail("insights"));

    await linkFacebookAs(page, /Sam Solo/);

    await page.goto("/dashboard");
    await page.getByRole("button", { name: "Select" }).first().click();
    await expect.poll(() => page.getByRole("region", { name: "Selected ad account" }).textContent()).toContain("act_1210000000000");

    // Default range: last 7 days.
    const panel = page.getByRole("region", { name: "Insights" });
    await panel.waitFor({ timeout: 20_000 });
    const spend7 = await settledSpend(page);
    expect(spend7).toMatch(/\d/);
    expect(await panel.getByRole("button", { name: "Last 7 days" }).getAttribute("aria-pressed")).toBe("true");
    for (const name of ["Impressions", "Clicks", "CTR", "CPC", "CPM", "Conversions", "ROAS"]) {
      expect(await panel.getByRole("group", { name }).count()).toBe(1);
    }
    const chart = panel.getByRole("img", { name: /^Daily spend and / });
    await chart.waitFor();
    expect(await chart.locator("[data-testid=spend-bar]").count()).toBe(7);
    expect(await panel.getByRole("table", { name: "Insights by day" }).locator("tbody tr").count()).toBe(7);

    // The chart's second series follows the "Metric" select.
    await panel.getByRole("combobox", { name: "Metric" }).selectOption({ label: "Clicks" });
    await panel.getByRole("img", { name: "Daily spend and Clicks" }).waitFor();

    // Another preset: new numbers, 30 rows.
    await panel.getByRole("button", { name: "Last 30 days" }).click();
    await expect.poll(() => settledSpend(page), { timeout: 20_000 }).not.toBe(spend7);
    const spend30 = await settledSpend(page);
    await expect.poll(() => panel.getByRole("table", { name: "Insights by day" }).locator("tbody tr").count()).toBe(30);

    // CSV: the table by day plus the same totals as the tiles.
    const [download] = await Promise.all([page.waitForEvent("download"), panel.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^insights-act_1210000000000-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = parseCsv(await readFile((await download.path())!, "utf8"));
    expect(csv.header[0]).toBe("date");
    const currency = csv.header[1]!.replace(/^spend_/, "");
    expect(csv.rows).toHaveLength(30);
    const totalSpend = Number(csv.total[1]);
    expect(new Intl.NumberFormat("en-US", { style: "currency", currency }).format(totalSpend)).toBe(spend30);
    const summed = csv.rows.reduce((n, r) => n + Number(r[1]), 0);
    expect(Math.abs(summed - totalSpend)).toBeLessThan(0.01);
    const impressionsTile = await panel.getByRole("group", { name: "Impressions" }).getByTestId("tile-impressions").textContent();
    const col = csv.header.indexOf("impressions");
    expect(Number(impressionsTile!.replace(/,/g, ""))).toBe(Number(csv.total[col]));
    expect(csv.rows.reduce((n, r) => n + Number(r[col]), 0)).toBe(Number(csv.total[col]));

    // Refresh asks Meta again (a request with refresh=1 goes out and is answered from Meta, not the
    // cache) and keeps the numbers.
    const refreshed = page.waitForResponse((r) => r.url().includes("/api/meta/insights?") && new URL(r.url()).searchParams.get("refresh") === "1");
    await panel.getByRole("button", { name: "Refresh" }).click();
    const response = await refreshed;
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ready", source: "meta" });
    expect(await settledSpend(page)).toBe(spend30);

    // On a phone the chart is redrawn at its width: axis labels keep a readable size, none overlap.
    await page.setViewportSize({ width: 390, height: 844 });
    const narrow = panel.getByRole("img", { name: /^Daily spend and / });
    await expect
      .poll(() => narrow.evaluate((svg) => Math.min(...[...svg.querySelectorAll("text")].map((t) => t.getBoundingClientRect().height))))
      .toBeGreaterThanOrEqual(11);
    const dates = await narrow.evaluate((svg) =>
      [...svg.querySelectorAll("text[text-anchor=middle]")].map((t) => {
        const r = t.getBoundingClientRect();
        return [r.left, r.right] as const;
      }),
    );
    expect(dates.length).toBeGreaterThan(1);
    for (let i = 1; i < dates.length; i++) expect(dates[i]![0]).toBeGreaterThan(dates[i - 1]![1]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
