import { env } from "../src/env";
import { parseKeyRing } from "../src/server/crypto";
import { createAppClient } from "../src/server/db/vault";
import { withScriptDatabase } from "../src/server/db/script-database";
import { countMailMessages, listMailMessages } from "../src/server/mail/list-mail-messages";

/**
 * `npm run mail:status [-- --json]`: how many mails of the last 24 hours are sent, waiting and
 * failed, and the 20 latest failures with their last error. Read-only; never a link or the mail's
 * data.
 */
const json = process.argv.includes("--json");
const when = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : "—");

const config = env();
await withScriptDatabase(async (url) => {
  const db = createAppClient(url, parseKeyRing(config.encryptionKeys), { max: 2 });
  try {
    const counts = await countMailMessages(db, { since: new Date(Date.now() - 86_400_000) });
    const failures = await listMailMessages(db, { status: "failed", limit: 20 });
    if (json) {
      console.log(JSON.stringify({ transport: config.mail.transport, last24h: counts, failures }, null, 2));
      return;
    }
    console.log(`Mail goes to ${config.mail.transport === "smtp" ? "the SMTP server (SMTP_URL)" : "the development outbox (/dev/mail)"}`);
    console.log(`  last 24 h: sent ${counts.sent}, waiting ${counts.queued}, sending ${counts.sending}, failed ${counts.failed}`);
    if (failures.length === 0) {
      console.log("  no failed mail");
      return;
    }
    console.log(`  latest failures (${failures.length}):`);
    for (const m of failures) {
      console.log(`  ${when(m.failedAt)}  ${m.template}  to ${m.to}  after ${m.attempts} attempt(s)  id ${m.id}`);
      console.log(`    ${m.lastError ?? "no error recorded"}`);
    }
  } finally {
    await db.$disconnect();
  }
});
