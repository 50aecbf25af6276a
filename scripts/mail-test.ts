import { z } from "zod";
import { env } from "../src/env";
import { parseKeyRing } from "../src/server/crypto";
import { createAppClient } from "../src/server/db/vault";
import { withScriptDatabase } from "../src/server/db/script-database";
import { createJobQueue } from "../src/server/jobs/create-job-queue";
import { sendMail } from "../src/server/mail/send-mail";
import { sendMailJob } from "../src/server/mail/send-mail-job";
import { actionNeededMail } from "../src/server/mail/templates/action-needed-mail";

/**
 * `npm run mail:test -- you@example.com`: sends a test mail the way the app sends every mail
 * (recorded, queued, delivered by the send-mail job) and works that job itself, so it answers
 * whether SMTP_URL and MAIL_FROM work without a running server. Exit code 0 when the server (or
 * the development outbox) accepted it.
 */
const to = z.email().safeParse(process.argv[2]);
if (!to.success) {
  console.log("Usage: npm run mail:test -- you@example.com");
  process.exit(2);
}

const config = env();
const code = await withScriptDatabase(async (url) => {
  const db = createAppClient(url, parseKeyRing(config.encryptionKeys), { max: 4 });
  const queue = createJobQueue({ url, db, jobs: [sendMailJob], pollingSeconds: 0.5, maintenance: false, scheduleEveryMs: 0 });
  try {
    const { id } = await sendMail(
      db,
      {
        to: to.data,
        template: actionNeededMail,
        props: {
          title: "Linkboard test mail",
          message: `This mail was sent by npm run mail:test to check the mail settings of ${config.authUrl}.`,
          action: { label: "Open Linkboard", link: { path: "/" } },
        },
      },
      { enqueue: (job, payload, o) => queue.enqueue(job, payload, o) },
    );
    await queue.work();
    const outcome = await waitForOutcome(db, id);
    if (outcome.status === "sent") {
      console.log(`Sent to ${to.data} via ${config.mail.transport === "smtp" ? "SMTP" : "the development outbox (/dev/mail)"}: accepted as ${outcome.providerMessageId}`);
      return 0;
    }
    const next = outcome.status === "queued" ? " It will be tried again (see `npm run mail:status`)." : "";
    console.log(`Not sent (${outcome.status}): ${outcome.lastError ?? "no error recorded"}.${next}`);
    return 1;
  } finally {
    await queue.stop({ timeoutMs: 5_000 });
    await db.$disconnect();
  }
});
process.exit(code);

/** Until the first attempt has an outcome: sent, failed, or back in the queue for a retry. */
async function waitForOutcome(db: ReturnType<typeof createAppClient>, id: string) {
  for (;;) {
    const row = await db.mailMessage.findUniqueOrThrow({ where: { id } });
    if (row.status === "sent" || row.status === "failed" || (row.status === "queued" && row.attempts > 0)) return row;
    // Another process's worker may deliver it: nothing to await but the row.
    await new Promise((r) => setTimeout(r, 300));
  }
}
