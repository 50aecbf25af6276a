import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { env } from "@/env";
import { db } from "@/server/db";
import { readOutbox } from "@/server/mail/list-outbox";

// Resolved beside the page even when it is not found: a production 404 must not name it.
export function generateMetadata(): Metadata {
  return env().nodeEnv === "production" ? {} : { title: "Outbox" };
}
export const dynamic = "force-dynamic";

const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/**
 * The development outbox: mail the app "sent" while SMTP_URL is unset, newest first, with the HTML
 * part (in a sandboxed frame: no scripts, no access to this page; links open in a new tab) and the
 * plain-text part. Development and tests only: a production server answers 404.
 */
export default async function DevMailPage({ searchParams }: { searchParams: Promise<{ id?: string | string[] }> }) {
  const config = env();
  if (config.nodeEnv === "production") notFound();
  const { id } = await searchParams;
  const { entries, selected, counts } = await readOutbox(db(), { id: typeof id === "string" ? id : undefined, now: new Date() });

  return (
    <section className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold">Outbox</h1>
        <p className="text-sm text-slate-600">
          Development only. {config.mail.transport === "outbox" ? "SMTP_URL is not set, so mail lands here and nothing is sent." : "SMTP_URL is set: new mail goes to the mail server, not here."}
        </p>
        <p className="text-sm text-slate-600" data-testid="mail-counts">
          Last 24 h: {counts.sent} delivered, {counts.queued + counts.sending} waiting, {counts.failed} failed.
        </p>
      </header>
      {entries.length === 0 ? (
        <p className="text-slate-600">No mail yet.</p>
      ) : (
        <div className="grid gap-6 md:grid-cols-[18rem_1fr]">
          <nav aria-label="Messages">
            <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
              {entries.map((e) => (
                <li key={e.id}>
                  <a
                    href={`/dev/mail?id=${encodeURIComponent(e.id)}`}
                    aria-current={e.id === selected?.id ? "page" : undefined}
                    className="block px-3 py-2 text-sm hover:bg-slate-50 aria-[current=page]:bg-slate-100"
                  >
                    <span className="block font-medium">{e.subject}</span>
                    <span className="block text-slate-600">{e.toAddress}</span>
                    <time dateTime={e.createdAt.toISOString()} className="block text-xs text-slate-500">
                      {TIME.format(e.createdAt)} UTC
                    </time>
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {selected ? (
            <article aria-labelledby="mail-subject" className="space-y-4">
              <div className="space-y-1 text-sm">
                <h2 id="mail-subject" className="text-lg font-semibold">
                  {selected.subject}
                </h2>
                <p>From: {selected.fromAddress}</p>
                <p>To: {selected.toAddress}</p>
                <p>
                  <time dateTime={selected.createdAt.toISOString()}>{TIME.format(selected.createdAt)} UTC</time>
                </p>
              </div>
              {selected.links.length > 0 && (
                <section aria-label="Links" className="text-sm">
                  <h3 className="font-medium">Links</h3>
                  <ul className="list-disc pl-5">
                    {selected.links.map(([name, url]) => (
                      <li key={name}>
                        {name}:{" "}
                        <a href={url} className="break-all underline">
                          {url}
                        </a>
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              <section aria-label="HTML part">
                <h3 className="mb-2 text-sm font-medium">HTML</h3>
                {/* srcdoc + sandbox: the mail's HTML runs no script and cannot reach this page; under the
                    app's CSP it inherits the page's policy, which allows its inline styles only. */}
                <iframe
                  title={`HTML part of “${selected.subject}”`}
                  sandbox="allow-popups allow-popups-to-escape-sandbox"
                  srcDoc={selected.html}
                  className="h-[32rem] w-full rounded-lg border border-slate-200 bg-white"
                />
              </section>
              <section aria-label="Plain-text part">
                <h3 className="mb-2 text-sm font-medium">Plain text</h3>
                <pre className="whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-3 text-sm">{selected.text}</pre>
              </section>
            </article>
          ) : (
            <p className="text-slate-600">That message is not in the outbox.</p>
          )}
        </div>
      )}
    </section>
  );
}
