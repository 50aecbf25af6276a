import "server-only";
import { Prisma } from "@prisma/client";
import { open, type KeyRing } from "@/server/crypto";
import {
  delegateName,
  prepareCreate,
  prepareUpdate,
  resolveUnique,
  sealFields,
  sealedColumns,
  writesCanReachVault,
  type Lookup,
  type Row,
  type WriteContext,
} from "@/server/vault/encrypt-write-args";
import { createBaseClient, type BaseClient } from "./client";
import { ENCRYPTED_BY_MODEL, type EncryptedColumn } from "./encrypted-fields";

/**
 * The vault: a Prisma query extension that seals every field in ./encrypted-fields.ts on the way in
 * and opens it on the way out (docs/decisions/006-vault-envelope.md).
 *
 * Covered — writes: create, createMany, createManyAndReturn, update, updateMany,
 * updateManyAndReturn, upsert, and nested create/createMany/connectOrCreate/update/updateMany/upsert
 * reached from any model (`user.create({ data: { accounts: { create: … } } })`).
 * Covered — reads: every operation *on the owning model* that returns rows (findUnique/OrThrow,
 * findFirst/OrThrow, findMany, and the rows returned by create/update/upsert/delete and the
 * …AndReturn variants), including `select` subsets (the id is fetched for the associated data and
 * dropped again).
 *
 * NOT covered — these return the stored envelopes, never plaintext:
 *   - `$queryRaw` / `$queryRawUnsafe` (raw SQL never passes through a query extension);
 *   - rows of an encrypted model nested in another model's result
 *     (`user.findUnique({ include: { accounts: true } })`, fluent `user.findUnique().accounts()`).
 * Read tokens only through the model that owns them: `db.account.findMany({ where: { userId } })`.
 *
 * updateMany with a token value: each row needs its own ciphertext, so the ids matching `where` are
 * looked up first and the write becomes one updateMany per id (`where: { AND: [where, { id }] }`),
 * through the same query chain — so inside `$transaction` the writes stay in the transaction, while
 * the id lookup reads committed data. Rows that start matching between the two are not updated.
 * Setting a token column to null needs no ciphertext and stays a single statement.
 */
const RETURNS_ROWS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "create",
  "createManyAndReturn",
  "update",
  "updateManyAndReturn",
  "upsert",
  "delete",
]);

type Args = Row & { data?: unknown; where?: unknown; select?: unknown; omit?: unknown; create?: unknown; update?: unknown };
const isObject = (v: unknown): v is Row => typeof v === "object" && v !== null && !Array.isArray(v);

/** Opens the declared fields of one top-level row in place. */
function openRow(ring: KeyRing, cols: readonly EncryptedColumn[], row: Row) {
  const rowId = row.id as string;
  for (const col of cols) {
    const value = row[col.field];
    if (typeof value === "string") row[col.field] = open(ring, value, { table: col.table, column: col.column, rowId });
  }
}

/** Makes sure a row-returning query fetches `id` (needed for the associated data); true if we added it. */
function ensureIdSelected(args: Args, cols: readonly EncryptedColumn[]): boolean {
  if (isObject(args.select)) {
    if (args.select.id || !cols.some((c) => args.select && (args.select as Row)[c.field])) return false;
    args.select.id = true;
    return true;
  }
  if (isObject(args.omit) && args.omit.id) {
    delete args.omit.id;
    return true;
  }
  return false;
}

async function prepareWrite(ctx: WriteContext, model: string, operation: string, args: Args) {
  switch (operation) {
    case "create":
      if (isObject(args.data)) await prepareCreate(ctx, model, args.data);
      break;
    case "createMany":
    case "createManyAndReturn":
      for (const data of Array.isArray(args.data) ? args.data : [args.data]) {
        if (isObject(data)) await prepareCreate(ctx, model, data);
      }
      break;
    case "update":
      if (isObject(args.data)) await prepareUpdate(ctx, model, args.data, resolveUnique(ctx, model, args.where));
      break;
    case "upsert": {
      // The create branch gets its own id up front; if the row appeared meanwhile, the update
      // branch is sealed to that same id and fails closed (decrypt error), never plaintext.
      if (isObject(args.create)) await prepareCreate(ctx, model, args.create);
      const fallback = isObject(args.create) && typeof args.create.id === "string" ? args.create.id : undefined;
      if (isObject(args.update)) await prepareUpdate(ctx, model, args.update, resolveUnique(ctx, model, args.where), fallback);
      break;
    }
  }
}

/** updateMany / updateManyAndReturn that assigns a token: one statement per matching row. */
async function updateEachRow(
  ctx: WriteContext,
  model: string,
  operation: string,
  args: Args,
  query: (args: Args) => Promise<unknown>,
) {
  const data = args.data as Row;
  const { limit, ...rest } = args as Args & { limit?: number };
  const found = await ctx.lookup(model).findMany({ where: args.where ?? {}, select: { id: true }, ...(limit ? { take: limit } : {}) });
  let count = 0;
  const rows: unknown[] = [];
  for (const { id } of found) {
    const copy = structuredClone(data);
    sealFields(ctx, model, copy, id as string);
    const result = await query({ ...rest, where: { AND: [args.where ?? {}, { id }] }, data: copy });
    if (operation === "updateMany") count += (result as { count: number }).count;
    else rows.push(...(result as unknown[]));
  }
  return operation === "updateMany" ? { count } : rows;
}

/** The vault as a Prisma extension. `lookup` must be an unextended client on the same database. */
export function vaultExtension(ring: KeyRing, lookupClient: BaseClient) {
  const ctx: WriteContext = {
    ring,
    lookup: ((model: string) => (lookupClient as unknown as Record<string, ReturnType<Lookup>>)[delegateName(model)]!) as Lookup,
  };
  return Prisma.defineExtension({
    name: "vault",
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const cols = ENCRYPTED_BY_MODEL.get(model);
          if (!cols && !writesCanReachVault(model)) return query(args);
          const a = (args ?? {}) as Args;
          const run = query as (args: Args) => Promise<unknown>;
          const perRow =
            cols !== undefined &&
            (operation === "updateMany" || operation === "updateManyAndReturn") &&
            isObject(a.data) &&
            sealedColumns(model, a.data).length > 0;
          if (!perRow) await prepareWrite(ctx, model, operation, a);
          if (!cols || !RETURNS_ROWS.has(operation)) return perRow ? updateEachRow(ctx, model, operation, a, run) : run(a);

          const dropId = ensureIdSelected(a, cols);
          const result = perRow ? await updateEachRow(ctx, model, operation, a, run) : await run(a);
          const rows = Array.isArray(result) ? result : [result];
          for (const row of rows) {
            if (!isObject(row)) continue;
            openRow(ring, cols, row);
            if (dropId) delete row.id;
          }
          return result;
        },
      },
    },
  });
}

const READS = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy"]);
const COUNTS = new Set(["count", "aggregate", "groupBy"]);

/**
 * Whether a model call must pass through the vault. Reads that cannot return a token — any read of
 * a model without encrypted columns, counts, and reads of an encrypted model whose `select` names
 * none of them — have nothing to open, and writes that cannot reach an encrypted field nothing to
 * seal: those go straight to the base client, so the vault costs nothing where it has nothing to do.
 */
export function callNeedsVault(model: string, operation: string, args: unknown): boolean {
  const cols = ENCRYPTED_BY_MODEL.get(model);
  if (!READS.has(operation)) return cols !== undefined || writesCanReachVault(model);
  if (!cols || COUNTS.has(operation)) return false;
  const select = isObject(args) ? args.select : undefined;
  return !(isObject(select) && !cols.some((c) => select[c.field]));
}

const MODEL_DELEGATES = new Map(Prisma.dmmf.datamodel.models.map((m) => [delegateName(m.name), m.name]));

/**
 * The extended client, with each model call routed by `callNeedsVault` to the extended or the base
 * client (both share one connection pool). Interactive transactions run entirely on the extended
 * client, as before.
 */
function routeAroundVault<C extends object>(vaulted: C, base: BaseClient): C {
  const delegates = new Map<string, object>();
  const delegate = (name: string, model: string) => {
    const viaVault = (vaulted as Record<string, Record<string, (args?: unknown) => unknown>>)[name]!;
    const direct = (base as unknown as Record<string, Record<string, (args?: unknown) => unknown>>)[name]!;
    return new Proxy(viaVault, {
      get(target, operation, receiver) {
        if (typeof operation !== "string" || typeof target[operation] !== "function") return Reflect.get(target, operation, receiver);
        return (args?: unknown) => (callNeedsVault(model, operation, args) ? target[operation]!(args) : direct[operation]!(args));
      },
    });
  };
  return new Proxy(vaulted, {
    get(target, prop, receiver) {
      const model = typeof prop === "string" ? MODEL_DELEGATES.get(prop) : undefined;
      if (!model) return Reflect.get(target, prop, receiver);
      let d = delegates.get(model);
      if (!d) delegates.set(model, (d = delegate(prop as string, model)));
      return d;
    },
  });
}

/** The app's database client: the Prisma client with the vault extension. Hand this (never the base client) to the Auth.js adapter. */
export function createAppClient(databaseUrl: string, keyRing: KeyRing, options: { max?: number } = {}) {
  const base = createBaseClient(databaseUrl, options);
  return routeAroundVault(base.$extends(vaultExtension(keyRing, base)), base);
}

export type AppClient = ReturnType<typeof createAppClient>;
