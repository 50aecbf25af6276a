import path from "node:path";

/** Where Linkboard keeps local data (embedded database, development secrets, sandbox state): DATA_DIR, else `.data`. */
export function resolveDataDir(value: string | undefined): string {
  return value ? path.resolve(value) : path.join(process.cwd(), ".data");
}
