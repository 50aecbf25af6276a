import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { servePglite, type PgliteServer } from "./pglite-server";

let db: PGlite;
let server: PgliteServer;
let url: string;
const pools: pg.Pool[] = [];

beforeEach(async () => {
  db = new PGlite();
  await db.exec("CREATE TABLE t (id serial PRIMARY KEY, who text NOT NULL, v int NOT NULL)");
  server = await servePglite(db);
  url = server.url;
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
  await server.stop();
  await db.close();
});

function pool(max = 5) {
  const p = new pg.Pool({ connectionString: url, max });
  pools.push(p);
  return p;
}

describe("PGlite wire-protocol server", () => {
  it("keeps concurrent clients' results apart, with transactions interleaved", async () => {
    const a = pool();
    const b = pool();
    const wrong: string[] = [];
    const work = async (p: pg.Pool, who: string, i: number) => {
      if (i % 3 === 0) {
        const c = await p.connect();
        await c.query("BEGIN");
        await c.query("INSERT INTO t (who, v) VALUES ($1, $2)", [who, i]);
        const seen = await c.query("SELECT count(*)::int AS n FROM t WHERE who = $1 AND v = $2", [who, i]);
        if (seen.rows[0].n !== 1) wrong.push(`${who}${i} not visible in its transaction`);
        await c.query(i % 2 === 0 ? "ROLLBACK" : "COMMIT");
        c.release();
      } else {
        const r = await p.query("INSERT INTO t (who, v) VALUES ($1, $2) RETURNING who, v", [who, i]);
        if (r.rows[0]?.who !== who || r.rows[0]?.v !== i) wrong.push(`${who}${i} got ${JSON.stringify(r.rows)}`);
        const echo = await p.query("SELECT $1::text AS x", [`${who}-${i}`]);
        if (echo.rows[0]?.x !== `${who}-${i}`) wrong.push(`${who}${i} echo ${JSON.stringify(echo.rows)}`);
      }
    };
    const N = 120;
    await Promise.all([...Array(N).keys()].flatMap((i) => [work(a, "a", i), work(b, "b", i)]));
    expect(wrong).toEqual([]);
    const rolledBack = [...Array(N).keys()].filter((i) => i % 3 === 0 && i % 2 === 0).length;
    const { rows } = await a.query("SELECT count(*)::int AS n FROM t");
    expect(rows[0].n).toBe(2 * (N - rolledBack));
  });

  it("rolls back a transaction whose client vanished, and the others carry on", async () => {
    const quitter = new pg.Client({ connectionString: url });
    quitter.on("error", () => {}); // its connection is killed on purpose below
    await quitter.connect();
    await quitter.query("BEGIN");
    await quitter.query("INSERT INTO t (who, v) VALUES ('quitter', 1)");
    const other = pool(1);
    const blocked = other.query("INSERT INTO t (who, v) VALUES ('other', 2) RETURNING v");
    // The other client waits for the transaction; the quitter's socket dies without COMMIT.
    (quitter as unknown as { connection: { stream: { destroy: () => void } } }).connection.stream.destroy();
    await expect(blocked).resolves.toMatchObject({ rows: [{ v: 2 }] });
    const { rows } = await other.query("SELECT who FROM t ORDER BY id");
    expect(rows).toEqual([{ who: "other" }]);
    await quitter.end().catch(() => {});
  });

  it("lets a client disconnect (Terminate) without ending the shared session", async () => {
    const steady = pool(1);
    await steady.query("INSERT INTO t (who, v) VALUES ('steady', 1)");
    const visitor = new pg.Client({ connectionString: url });
    await visitor.connect();
    await visitor.query("INSERT INTO t (who, v) VALUES ('visitor', 1)");
    await visitor.end();
    await steady.query("INSERT INTO t (who, v) VALUES ('steady', 2)");
    const { rows } = await steady.query("SELECT count(*)::int AS n FROM t");
    expect(rows[0].n).toBe(3);
  });
});
