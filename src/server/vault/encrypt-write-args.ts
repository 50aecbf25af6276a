import "server-only";
import { randomBytes } from "node:crypto";
import { Prisma } from "@prisma/client";
import { isEnvelope, open, seal, VaultDecryptError, VaultWriteError, type KeyRing } from "@/server/crypto";
import { ENCRYPTED_BY_MODEL, type EncryptedColumn } from "@/server/db/encrypted-fields";

/**
 * The write half of the vault extension: rewrites Prisma write arguments in place so every
 * declared field is sealed before it leaves the process. Plaintext never reaches a query: when a
 * row id cannot be resolved, the value is sealed to a random id (it will fail to decrypt — shown as
 * "needs re-link" — rather than be stored readable).
 *
 * Row ids (bound into the associated data) come from, in order: the data itself (`id`), the unique
 * `where` (`where.id`), or one `findUnique`/`findMany` through the *unextended* client. That lookup
 * runs outside any interactive transaction the write is part of; see docs/decisions/006.
 */
export type Row = Record<string, unknown>;
type LookupDelegate = {
  findUnique(args: object): Promise<Row | null>;
  findMany(args: object): Promise<Row[]>;
};
export type Lookup = (model: string) => LookupDelegate;
export type WriteContext = { ring: KeyRing; lookup: Lookup };
type ResolveId = () => Promise<string | null>;

type RelationField = { name: string; type: string };
const models = Prisma.dmmf.datamodel.models as readonly {
  name: string;
  fields: readonly { name: string; kind: string; type: string }[];
}[];
const RELATIONS = new Map<string, RelationField[]>(
  models.map((m) => [m.name, m.fields.filter((f) => f.kind === "object").map((f) => ({ name: f.name, type: f.type }))]),
);
const FIELD_NAMES = new Map(models.map((m) => [m.name, new Set(m.fields.map((f) => f.name))]));

/** Models from which a nested write can reach an encrypted field (fixed point over relations). */
const REACHES = (() => {
  const reach = new Set<string>(ENCRYPTED_BY_MODEL.keys());
  for (let changed = true; changed; ) {
    changed = false;
    for (const [model, rels] of RELATIONS) {
      if (!reach.has(model) && rels.some((r) => reach.has(r.type))) {
        reach.add(model);
        changed = true;
      }
    }
  }
  return reach;
})();

export function writesCanReachVault(model: string): boolean {
  return REACHES.has(model);
}

let counter = 0;
/** A cuid-like id ("c" + time + counter + randomness), the same shape as `@default(cuid())`. */
export function createId(): string {
  counter = (counter + 1) % 36 ** 4;
  const random = randomBytes(8).readBigUInt64BE().toString(36).padStart(13, "0").slice(-12);
  return `c${Date.now().toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${random}`;
}

export function delegateName(model: string): string {
  return model.charAt(0).toLowerCase() + model.slice(1);
}

const isObject = (v: unknown): v is Row => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): Row[] => (Array.isArray(v) ? v.filter(isObject) : isObject(v) ? [v] : []);

/** The string a scalar update assigns (`"x"` or `{ set: "x" }`), or undefined when none. */
function assignedString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (isObject(value) && typeof value.set === "string") return value.set;
  return undefined;
}

/** Encrypted columns of `model` that this data assigns a string to. */
export function sealedColumns(model: string, data: Row): EncryptedColumn[] {
  return (ENCRYPTED_BY_MODEL.get(model) ?? []).filter((c) => assignedString(data[c.field]) !== undefined);
}

function sealOne(ctx: WriteContext, col: EncryptedColumn, value: string, rowId: string, verify: boolean): string {
  const where = { table: col.table, column: col.column, rowId };
  if (!isEnvelope(value)) return seal(ctx.ring, value, where);
  // Already sealed: store as is (no double encryption), but only if it belongs to this row and
  // column — otherwise it would be stored as a value nobody can read.
  if (verify) {
    try {
      open(ctx.ring, value, where);
    } catch (error) {
      if (error instanceof VaultDecryptError) {
        throw new VaultWriteError(
          `Refusing to store an encrypted ${col.model}.${col.field} that does not decrypt for row ${rowId} (${error.reason}).`,
        );
      }
      throw error;
    }
  }
  return value;
}

/** Seals the declared fields of one row's data in place. */
export function sealFields(ctx: WriteContext, model: string, data: Row, rowId: string, verify = true): void {
  for (const col of sealedColumns(model, data)) {
    const value = data[col.field];
    if (typeof value === "string") data[col.field] = sealOne(ctx, col, value, rowId, verify);
    else if (isObject(value)) value.set = sealOne(ctx, col, value.set as string, rowId, verify);
  }
}

/** Create data: gives the row an id when it has none, then seals. */
export async function prepareCreate(ctx: WriteContext, model: string, data: Row): Promise<void> {
  if (ENCRYPTED_BY_MODEL.has(model)) {
    if (typeof data.id !== "string") data.id = createId();
    sealFields(ctx, model, data, data.id as string);
  }
  const id = data.id;
  await prepareRelations(ctx, model, data, async () => (typeof id === "string" ? id : null));
}

/** Update data for one row whose id `resolveId` finds (lazily: only when a sealed field needs it). */
export async function prepareUpdate(ctx: WriteContext, model: string, data: Row, resolveId: ResolveId, fallbackId?: string) {
  const rowIdOf = memo(async () => (typeof data.id === "string" ? data.id : await resolveId()));
  if (sealedColumns(model, data).length > 0) {
    const rowId = (await rowIdOf()) ?? fallbackId;
    if (rowId) sealFields(ctx, model, data, rowId);
    else sealFields(ctx, model, data, `unresolved:${createId()}`, false);
  }
  await prepareRelations(ctx, model, data, rowIdOf);
}

/** The id behind a top-level unique `where` (update, upsert). */
export function resolveUnique(ctx: WriteContext, model: string, where: unknown): ResolveId {
  return memo(async () => {
    if (!isObject(where)) return null;
    if (typeof where.id === "string") return where.id;
    const row = await ctx.lookup(model).findUnique({ where, select: { id: true } });
    return typeof row?.id === "string" ? row.id : null;
  });
}

async function prepareRelations(ctx: WriteContext, model: string, data: Row, parentId: ResolveId) {
  for (const rel of RELATIONS.get(model) ?? []) {
    const ops = data[rel.name];
    if (isObject(ops) && REACHES.has(rel.type)) await prepareNested(ctx, model, rel, ops, parentId);
  }
}

async function prepareNested(ctx: WriteContext, parent: string, rel: RelationField, ops: Row, parentId: ResolveId) {
  const target = rel.type;
  for (const item of list(ops.create)) await prepareCreate(ctx, target, item);
  if (isObject(ops.createMany)) for (const item of list(ops.createMany.data)) await prepareCreate(ctx, target, item);
  for (const item of list(ops.connectOrCreate)) if (isObject(item.create)) await prepareCreate(ctx, target, item.create);
  for (const item of list(ops.upsert)) {
    if (isObject(item.create)) await prepareCreate(ctx, target, item.create);
    const fallback = isObject(item.create) && typeof item.create.id === "string" ? item.create.id : undefined;
    if (isObject(item.update)) {
      await prepareUpdate(ctx, target, item.update, resolveNested(ctx, parent, rel, parentId, item.where), fallback);
    }
  }
  for (const item of list(ops.update)) {
    // To-many: { where, data }; to-one: the data itself, or { where?, data }.
    const wrapped = isObject(item.data) && !FIELD_NAMES.get(target)?.has("data");
    const data = wrapped ? (item.data as Row) : item;
    await prepareUpdate(ctx, target, data, resolveNested(ctx, parent, rel, parentId, wrapped ? item.where : undefined));
  }
  if (ops.updateMany !== undefined) {
    const expanded: Row[] = [];
    for (const item of list(ops.updateMany)) {
      const data = isObject(item.data) ? item.data : {};
      if (sealedColumns(target, data).length === 0) {
        expanded.push(item);
        continue;
      }
      // Each row needs its own ciphertext: one updateMany entry per matching row, each still
      // filtered by the caller's `where`, so a row that stopped matching is skipped, not forced.
      const pid = await parentId();
      const row = pid ? await ctx.lookup(parent).findUnique({ where: { id: pid }, select: { [rel.name]: { where: item.where ?? {}, select: { id: true } } } }) : null;
      const ids = list(row?.[rel.name]).map((r) => r.id as string);
      for (const id of ids) {
        const copy = structuredClone(data);
        sealFields(ctx, target, copy, id);
        expanded.push({ where: { AND: [item.where ?? {}, { id }] }, data: copy });
      }
    }
    ops.updateMany = expanded;
  }
}

/** The id of the related row a nested update/upsert targets. */
function resolveNested(ctx: WriteContext, parent: string, rel: RelationField, parentId: ResolveId, where: unknown): ResolveId {
  return memo(async () => {
    const pid = await parentId();
    if (!pid) return null;
    const row = await ctx.lookup(parent).findUnique({ where: { id: pid }, select: { [rel.name]: { select: { id: true } } } });
    const related = row?.[rel.name];
    if (!Array.isArray(related)) return isObject(related) && typeof related.id === "string" ? related.id : null;
    // To-many: `where` is unique for the target model; it must also belong to this parent.
    if (!isObject(where)) return null;
    const ids = new Set(list(related).map((r) => r.id));
    const id = typeof where.id === "string" ? where.id : (await ctx.lookup(rel.type).findUnique({ where, select: { id: true } }))?.id;
    return typeof id === "string" && ids.has(id) ? id : null;
  });
}

function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= fn());
}
