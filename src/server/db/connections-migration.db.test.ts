import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, rawQuery, type TestDatabase } from "@kit/db";
import { applyMigrations, listMigrations } from "./migrate";

/**
 * The connections migration on a database holding the first slice's data: the older migrations
 * are applied, rows are written the way that code wrote them (meta_connections with Meta's
 * statuses, codes and granular scopes, ad accounts, insights), then the new migration runs and
 * every row must be there, under the new names, with the same ids and owners.
 */
const CONNECTIONS_MIGRATION = "20261201010000_connections";
let tdb: TestDatabase;
let before: string;

beforeAll(async () => {
  // A database where the migrations before this one ran: an empty schema plus a folder of them.
  tdb = await createTestDatabase({ migrate: false });
  before = await mkdtemp(path.join(tmpdir(), "linkboard-migrations-"));
  for (const m of await listMigrations()) {
    if (m.name >= CONNECTIONS_MIGRATION) continue;
    await cp(path.join(process.cwd(), "prisma", "migrations", m.name), path.join(before, m.name), { recursive: true });
  }
  await applyMigrations(tdb.url, before);
});
afterAll(async () => {
  await rm(before, { recursive: true, force: true });
  await tdb.close();
});

const q = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => rawQuery<T>(tdb.url, sql, params);

describe(`migration ${CONNECTIONS_MIGRATION}`, () => {
  it("carries every meta_connections row over to connections, keeping ids, owners, ad accounts and insights", async () => {
    await q(`INSERT INTO users (id, email, updated_at) VALUES ('u1', 'a@example.com', now()), ('u2', 'b@example.com', now())`);
    await q(`INSERT INTO accounts (id, user_id, type, provider, provider_account_id, access_token, updated_at) VALUES
      ('a1', 'u1', 'oauth', 'facebook', '1001', 'vault:v1:k:sealed-1', now()),
      ('a2', 'u1', 'oauth', 'facebook', '1002', 'vault:v1:k:sealed-2', now()),
      ('a3', 'u2', 'oauth', 'facebook', '1003', NULL, now()),
      ('a4', 'u2', 'oauth', 'facebook', '1004', 'vault:v1:k:sealed-4', now()),
      ('a5', 'u2', 'oauth', 'facebook', '1005', 'vault:v1:k:sealed-5', now())`);
    await q(`INSERT INTO meta_connections (id, user_id, account_id, meta_user_id, name, status, granted_scopes, declined_scopes, granular_scopes,
        token_expires_at, data_access_expires_at, last_checked_at, last_error_code, last_error_subcode, last_error_message, relink_requested_at, relink_requested_by, updated_at)
      VALUES
      ('c1', 'u1', 'a1', '1001', 'Sam', 'connected', '{ads_read,business_management}', '{}', '[{"scope":"ads_read","target_ids":["1"]}]',
        '2027-01-20 00:00:00', '2027-02-19 00:00:00', '2026-11-20 10:00:00', NULL, NULL, NULL, '2026-11-21 09:00:00', 'u2', now()),
      ('c2', 'u1', 'a2', '1002', 'Avery', 'expired', '{ads_read}', '{business_management}', NULL,
        '2026-11-01 00:00:00', NULL, '2026-11-02 00:00:00', 190, 463, 'Session has expired', NULL, NULL, now()),
      ('c3', 'u2', 'a3', '1003', 'Pat', 'revoked', '{}', '{}', NULL, NULL, NULL, '2026-11-03 00:00:00', 190, 458, 'Removed', NULL, NULL, now()),
      ('c4', 'u2', 'a4', '1004', 'Dana', 'error', '{ads_read}', '{}', NULL, NULL, NULL, NULL, 102, NULL, 'Session key invalid', NULL, NULL, now()),
      ('c5', 'u2', 'a5', '1005', 'Eve', 'permissions_missing', '{business_management}', '{ads_read}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, now())`);
    await q(`INSERT INTO meta_ad_accounts (id, connection_id, user_id, ad_account_id, account_id, name, currency, timezone_name, account_status, is_selected, synced_at, updated_at)
      VALUES ('m1', 'c1', 'u1', 'act_1', '1', 'One', 'EUR', 'Europe/Berlin', 1, true, '2026-11-20 11:00:00', now()),
             ('m2', 'c2', 'u1', 'act_2', '2', 'Two', 'USD', 'UTC', 1, false, '2026-11-02 00:00:00', now())`);
    await q(`INSERT INTO meta_insights_daily (id, ad_account_row_id, date, spend, impressions, reach, clicks, conversions, purchase_value, currency, fetched_at)
      VALUES ('d1', 'm1', '2026-11-19', 12.5, 100, 80, 5, 1, 30, 'EUR', now())`);
    await q(`INSERT INTO audit_events (id, user_id, action, connection_id) VALUES ('e1', 'u1', 'linked', 'c1')`);

    const result = await applyMigrations(tdb.url);
    expect(result.applied[0]).toBe(CONNECTIONS_MIGRATION);

    expect(await q(`SELECT to_regclass('meta_connections') AS t`)).toEqual([{ t: null }]);
    const rows = await q(`SELECT id, user_id, account_id, provider, external_id, name, state::text AS state, granted_scopes, declined_scopes, details,
        token_expires_at::text, data_access_expires_at::text, last_error_code, last_error_message, last_error_at::text, last_error_transient,
        last_synced_at::text, relink_requested_at::text, relink_requested_by, can_refresh, token_unreadable_at, asset_counts FROM connections ORDER BY id`);
    expect(rows.map((r) => [r.id, r.user_id, r.account_id, r.provider, r.external_id, r.name, r.state])).toEqual([
      ["c1", "u1", "a1", "facebook", "1001", "Sam", "connected"],
      ["c2", "u1", "a2", "facebook", "1002", "Avery", "needs_relink"],
      ["c3", "u2", "a3", "facebook", "1003", "Pat", "revoked"],
      ["c4", "u2", "a4", "facebook", "1004", "Dana", "needs_relink"],
      ["c5", "u2", "a5", "facebook", "1005", "Eve", "permissions_missing"],
    ]);
    const [c1, c2, c3, c4] = rows;
    expect(c1).toMatchObject({
      granted_scopes: ["ads_read", "business_management"],
      details: { granularScopes: [{ scope: "ads_read", target_ids: ["1"] }] },
      last_error_code: null,
      last_error_at: null,
      last_error_transient: false,
      relink_requested_by: "u2",
      can_refresh: false,
      token_unreadable_at: null,
    });
    expect(c1).toMatchObject({
      token_expires_at: "2027-01-20 00:00:00",
      data_access_expires_at: "2027-02-19 00:00:00",
      relink_requested_at: "2026-11-21 09:00:00",
      last_synced_at: "2026-11-20 11:00:00",
      asset_counts: { adAccounts: 1 },
    });
    expect(c2).toMatchObject({
      declined_scopes: ["business_management"],
      last_error_code: "190/463",
      last_error_message: "Session has expired",
      last_error_at: "2026-11-02 00:00:00",
    });
    expect(c3).toMatchObject({ last_error_code: "190/458", asset_counts: { adAccounts: 0 } });
    expect(c4).toMatchObject({ last_error_code: "102", last_synced_at: null });

    // What hangs off the connections still does, through the same foreign keys.
    expect(await q(`SELECT id, connection_id, is_selected FROM meta_ad_accounts ORDER BY id`)).toEqual([
      { id: "m1", connection_id: "c1", is_selected: true },
      { id: "m2", connection_id: "c2", is_selected: false },
    ]);
    expect(await q(`SELECT ad_account_row_id FROM meta_insights_daily`)).toEqual([{ ad_account_row_id: "m1" }]);
    await q(`DELETE FROM accounts WHERE id = 'a1'`);
    expect(await q(`SELECT count(*)::int AS n FROM connections WHERE id = 'c1'`)).toEqual([{ n: 0 }]);
    expect(await q(`SELECT count(*)::int AS n FROM meta_ad_accounts WHERE connection_id = 'c1'`)).toEqual([{ n: 0 }]);
    expect(await q(`SELECT count(*)::int AS n FROM meta_insights_daily`)).toEqual([{ n: 0 }]);
    // The audit trail is history: untouched.
    expect(await q(`SELECT id, connection_id FROM audit_events`)).toEqual([{ id: "e1", connection_id: "c1" }]);
    // One identity per provider.
    await expect(q(`INSERT INTO connections (id, user_id, account_id, provider, external_id, name, updated_at) VALUES ('x', 'u2', 'a3', 'facebook', '1005', 'dup', now())`)).rejects.toThrow(
      /duplicate key value violates unique constraint/,
    );
  });
});
