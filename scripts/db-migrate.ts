import { applyMigrations } from "../src/server/db/migrate";
import { withScriptDatabase } from "../src/server/db/script-database";

const result = await withScriptDatabase((url) => applyMigrations(url));
console.log(
  result.applied.length > 0
    ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
    : `Nothing to apply: all ${result.alreadyApplied} migrations are in place.`,
);
