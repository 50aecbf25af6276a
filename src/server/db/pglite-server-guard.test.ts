import { connect, type Socket } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { servePglite, type PgliteServer } from "./pglite-server";

// What a local process that is not the app can do to the embedded database's port: nothing
// without the password, and nothing that stops the server answering everyone else.
let db: PGlite;
let server: PgliteServer;
const clients: pg.Client[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  db = new PGlite();
});
beforeEach(async () => {
  server = await servePglite(db, { handshakeTimeoutMs: 150, idleHoldTimeoutMs: 150 });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(clients.splice(0).map((c) => c.end().catch(() => {})));
  await server.stop();
});
afterAll(() => db.close());

function withPassword(password: string | null) {
  const url = new URL(server.url);
  url.password = password ?? "";
  return url.toString();
}

async function client(url = server.url) {
  const c = new pg.Client({ connectionString: url });
  c.on("error", () => {});
  clients.push(c);
  await c.connect();
  return c;
}

function rawSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(server.port, "127.0.0.1", () => resolve(s));
    s.resume(); // read (and drop) what the server says, so its close is seen
    s.on("error", reject);
    sockets.push(s);
  });
}

const closed = (s: Socket) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once("close", () => resolve())));

/** A startup message for user postgres / database postgres. */
function startup(): Buffer {
  const body = Buffer.concat([Buffer.from([0, 3, 0, 0]), Buffer.from("user\0postgres\0database\0postgres\0\0")]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([length, body]);
}

/** Whether the server still answers a properly authenticated client, within a bound. */
async function stillServes() {
  const c = await client();
  const { rows } = await c.query("SELECT 1 AS one");
  return rows[0].one === 1;
}

describe("embedded database server: authentication", () => {
  it("serves a URL that carries a generated password", async () => {
    expect(new URL(server.url).password).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(await stillServes()).toBe(true);
  });

  it("refuses a client without the password, or with a wrong one", async () => {
    await expect(client(withPassword(null))).rejects.toThrow(/password authentication failed/);
    await expect(client(withPassword("not-the-password"))).rejects.toThrow(/password authentication failed/);
    expect(await stillServes()).toBe(true);
  });

  it("uses the password it is given", async () => {
    await server.stop();
    server = await servePglite(db, { password: "given-password-0123456789abcdef" });
    expect(new URL(server.url).password).toBe("given-password-0123456789abcdef");
    expect(await stillServes()).toBe(true);
  });
});

describe("embedded database server: hostile framing", () => {
  it("drops a connection whose startup length is 0 and keeps serving (8 zero bytes)", async () => {
    const s = await rawSocket();
    s.write(Buffer.alloc(8));
    await closed(s);
    expect(await stillServes()).toBe(true);
  });

  it("drops a message length below 4 after startup", async () => {
    const s = await rawSocket();
    s.write(startup());
    // A Query message ('Q') claiming a length of 0.
    s.write(Buffer.from([0x51, 0, 0, 0, 0]));
    await closed(s);
    expect(await stillServes()).toBe(true);
  });

  it("drops a startup message longer than the cap without waiting for its body", async () => {
    const s = await rawSocket();
    const header = Buffer.alloc(8);
    header.writeInt32BE(50_000_000, 0);
    header.writeInt32BE(196_608, 4);
    s.write(header);
    await closed(s);
    expect(await stillServes()).toBe(true);
  });

  it("drops a message longer than the cap once authenticated", async () => {
    const c = await client();
    const socket = (c as unknown as { connection: { stream: Socket } }).connection.stream;
    const header = Buffer.alloc(5);
    header[0] = 0x51;
    header.writeInt32BE(0x7fff_ffff, 1);
    socket.write(header);
    await closed(socket);
    expect(await stillServes()).toBe(true);
  });
});

describe("embedded database server: timeouts", () => {
  it("closes a connection that never finishes the handshake", async () => {
    const silent = await rawSocket();
    const half = await rawSocket();
    half.write(startup()); // never answers the password request
    await Promise.all([closed(silent), closed(half)]);
    expect(await stillServes()).toBe(true);
  });

  it("closes a client that holds the session outside a transaction and goes quiet", async () => {
    const holder = await client();
    const socket = (holder as unknown as { connection: { stream: Socket } }).connection.stream;
    // Parse + Flush without Sync: the unit is open, so the session stays with this client.
    const sql = Buffer.from("SELECT 1\0");
    const parse = Buffer.concat([Buffer.from([0x50]), int32(4 + 1 + sql.length + 2), Buffer.from([0]), sql, Buffer.from([0, 0])]);
    socket.write(Buffer.concat([parse, Buffer.from([0x48, 0, 0, 0, 4])]));
    const other = await client();
    await expect(other.query("SELECT 2 AS two")).resolves.toMatchObject({ rows: [{ two: 2 }] });
    await closed(socket);
  });
});

function int32(n: number) {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
