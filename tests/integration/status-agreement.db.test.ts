import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionCard } from "@/components/connections/connection-card";
import { HealthBanner } from "@/components/health/health-banner";
import { StatusPill } from "@/components/status-pill";
import { STATUS_LABELS, type ConnectionStatus } from "@/lib/connection-status";
import { listConnections } from "@/server/connections/list-connections";
import type { Db } from "@/server/db";
import { getMetaStatus } from "@/server/integrations/facebook/get-meta-status";
import { listOpsConnections } from "@/server/ops/list-ops-connections";
import { createTestDatabase, createTestClient, type TestDatabase } from "@kit/db";
import { metaSandbox } from "@kit/meta-sandbox";
import { seedLinkedConnection, type SeedOptions } from "@kit/seed";

/**
 * One status, everywhere: for each kind of connection, the settings card's badge, the dashboard
 * pill, the health banner, the ops list and the JSON views all say the same thing. The first case
 * is the old disagreement (data access ended: the card said "Connected", the banner "expired").
 */
const DAY = 86_400_000;
let tdb: TestDatabase;
let db: Db;
const kit = metaSandbox({ sandbox: { seed: 4242 } });
const registry = kit.registry();
const now = () => kit.clock.now();
const ago = (days: number) => new Date(now().getTime() - days * DAY);
const ahead = (days: number) => new Date(now().getTime() + days * DAY);

const CASES: [string, SeedOptions["state"], SeedOptions["fields"], ConnectionStatus][] = [
  ["data access ended, token still valid", "connected", { tokenExpiresAt: ahead(40), dataAccessExpiresAt: ago(1) }, "needs_relink"],
  ["token expired", "connected", { tokenExpiresAt: ago(1) }, "needs_relink"],
  ["token unreadable", "connected", { tokenUnreadableAt: ago(0) }, "needs_relink"],
  ["ending in 3 days", "connected", { tokenExpiresAt: ahead(3) }, "expiring"],
  ["revoked", "revoked", {}, "revoked"],
  ["refresh refused", "refresh_failed", {}, "refresh_failed"],
  ["a permission missing", "permissions_missing", {}, "permissions_missing"],
  ["last check failed transiently", "connected", { lastErrorTransient: true, lastErrorMessage: "Facebook is temporarily unavailable.", lastErrorCode: "2" }, "error"],
  ["healthy", "connected", { tokenExpiresAt: ahead(50), dataAccessExpiresAt: ahead(80) }, "connected"],
];
const seeded = new Map<string, { userId: string; connectionId: string }>();

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createTestClient(tdb.url);
  for (const [label, state, fields] of CASES) seeded.set(label, await seedLinkedConnection(db, kit, { state, fields, externalId: `55${seeded.size}00${seeded.size}`, name: label }));
});
afterAll(async () => {
  await db.$disconnect();
  await tdb.close();
});

const noop = async () => {};
const attr = (html: string, testId: string) => new RegExp(`data-testid="${testId}" data-status="([a-z_]+)"`).exec(html)?.[1];

describe("one status for card, pill, banner, ops and API", () => {
  it.each(CASES)("%s → %s everywhere", async (label, _state, _fields, expected) => {
    const { userId, connectionId } = seeded.get(label)!;
    const o = { now: now(), expiringDays: 7, registry };
    const [view] = await listConnections(db, userId, o);
    const meta = await getMetaStatus(db, userId, o);
    const ops = await listOpsConnections(db, {}, { now: now(), expiringDays: 7 });

    expect(view!.status).toBe(expected);
    expect(meta.connections[0]!.status).toBe(expected);
    expect(meta.status).toBe(expected);
    expect(ops.data.find((c) => c.id === connectionId)!.status).toBe(expected);

    const card = renderToStaticMarkup(createElement(ConnectionCard, { connection: view!, providerName: "Facebook", reconnect: noop, sync: noop, disconnect: noop }));
    const pill = renderToStaticMarkup(createElement(StatusPill, { label: "Meta", status: meta.status }));
    const banner = renderToStaticMarkup(createElement(HealthBanner, { connections: [view!], providerNames: { facebook: "Facebook" } }));
    expect(attr(card, "connection-status")).toBe(expected);
    expect(card).toContain(`>${STATUS_LABELS[expected].text}</span>`);
    expect(pill).toContain(STATUS_LABELS[expected].text);
    if (expected === "connected") expect(banner).toBe("");
    else expect(banner).toContain(`data-kind="${expected}"`);
  });

  it("the old disagreement is gone: data access ended shows no 'Connected' anywhere and tells the owner to reconnect", async () => {
    const { userId } = seeded.get("data access ended, token still valid")!;
    const [view] = await listConnections(db, userId, { now: now(), expiringDays: 7, registry });
    const card = renderToStaticMarkup(createElement(ConnectionCard, { connection: view!, providerName: "Facebook", reconnect: noop, sync: noop, disconnect: noop }));
    const banner = renderToStaticMarkup(createElement(HealthBanner, { connections: [view!], providerNames: { facebook: "Facebook" } }));
    expect(card).not.toContain(">Connected<");
    expect(card).toContain(">Needs re-link<");
    expect(banner).toContain("Your Facebook connection has ended and needs to be reconnected");
  });
});
