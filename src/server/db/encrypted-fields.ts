import "server-only";
import { Prisma } from "@prisma/client";

/**
 * THE list of encrypted fields. Every value in these columns is a vault envelope
 * (src/server/crypto/envelope.ts); the vault extension (./vault.ts), key rotation and
 * `npm run vault:status` all read this list. To encrypt a new token column, add one line here
 * (e.g. `MetaPage: ["access_token"]`) — nothing else changes. Existing plaintext in a newly listed
 * column is adopted with `npm run vault:rotate -- --encrypt-plaintext`.
 */
export const ENCRYPTED_FIELDS = {
  Account: ["access_token", "refresh_token", "id_token"],
} as const satisfies { [M in Prisma.ModelName]?: readonly (keyof Prisma.TypeMap["model"][M]["fields"] & string)[] };

export type EncryptedModel = keyof typeof ENCRYPTED_FIELDS;

/** One encrypted column with the names the database uses (these go into the associated data). */
export type EncryptedColumn = { model: string; field: string; table: string; column: string };

type RuntimeModel = { name: string; dbName: string | null; fields: readonly { name: string; dbName?: string | null; kind: string; type: string }[] };

function runtimeModel(name: string): RuntimeModel {
  const model = Prisma.dmmf.datamodel.models.find((m) => m.name === name) as RuntimeModel | undefined;
  if (!model) throw new Error(`encrypted-fields: unknown model ${name}`);
  return model;
}

function build(): EncryptedColumn[] {
  return Object.entries(ENCRYPTED_FIELDS).flatMap(([modelName, fields]) => {
    const model = runtimeModel(modelName);
    if (!model.fields.some((f) => f.name === "id" && f.kind === "scalar" && f.type === "String")) {
      throw new Error(`encrypted-fields: ${modelName} needs a String \`id\`; it is bound into the associated data`);
    }
    return fields.map((field) => {
      const def = model.fields.find((f) => f.name === field);
      if (!def || def.type !== "String") throw new Error(`encrypted-fields: ${modelName}.${field} must be a String column`);
      return { model: modelName, field, table: model.dbName ?? model.name, column: def.dbName ?? def.name };
    });
  });
}

/** Every encrypted column, resolved to table and column names. */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = Object.freeze(build());

/** Encrypted columns per model name, for the extension's hot path. */
export const ENCRYPTED_BY_MODEL: ReadonlyMap<string, readonly EncryptedColumn[]> = new Map(
  Object.keys(ENCRYPTED_FIELDS).map((m) => [m, ENCRYPTED_COLUMNS.filter((c) => c.model === m)]),
);
