import { SubmitButton } from "@/components/submit-button";
import { formatDate, relativeDays } from "@/components/format";
import type { ConnectionView } from "@/server/connections/views";
import { DisconnectButton } from "./disconnect-button";
import { StatusBadge } from "./status-badge";

type Props = {
  connection: ConnectionView;
  providerName: string;
  reconnect: (connectionId: string) => Promise<void>;
  sync: (connectionId: string) => Promise<void>;
  disconnect: (connectionId: string) => Promise<void>;
};

const ASSETS: Record<string, { label: string; testId: string }> = {
  adAccounts: { label: "Ad accounts", testId: "ad-account-count" },
};

const when = (iso: string) => `${formatDate(iso)} (${relativeDays(iso)})`;
const BUTTON = "inline-flex items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60";

/** One linked identity of any provider: its one status badge, what it holds, and what can be done. */
export function ConnectionCard({ connection: c, providerName, reconnect, sync, disconnect }: Props) {
  const missing = c.missingScopes;
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" aria-label={`${providerName}: ${c.name}`}>
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">{c.name}</h2>
        {c.handle && <span className="text-sm text-slate-500">@{c.handle}</span>}
        <StatusBadge status={c.status} testId="connection-status" />
        <span className="text-sm text-slate-500">{providerName}</span>
      </div>
      {missing.length > 0 && (
        <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Linkboard needs the {missing.join(", ")} permission{missing.length > 1 ? "s" : ""}. Reconnect and allow {missing.length > 1 ? "them" : "it"}.
        </p>
      )}
      {c.lastError && (
        <p className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          {providerName} said: {c.lastError.message}
          {c.lastError.code ? ` (code ${c.lastError.code})` : ""}. {c.status === "error" ? "Linkboard will try again; Sync now retries at once." : "Reconnect to fix it."}
        </p>
      )}
      <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-500">Token expires</dt>
          <dd>{c.tokenExpiresAt ? when(c.tokenExpiresAt) : "Does not expire"}</dd>
        </div>
        {c.dataAccessExpiresAt && (
          <div>
            <dt className="text-slate-500">Data access until</dt>
            <dd>{when(c.dataAccessExpiresAt)}</dd>
          </div>
        )}
        {Object.entries(c.assetCounts).map(([kind, count]) => (
          <div key={kind}>
            <dt className="text-slate-500">{ASSETS[kind]?.label ?? kind}</dt>
            <dd data-testid={ASSETS[kind]?.testId ?? `${kind}-count`}>{count}</dd>
          </div>
        ))}
        {c.stats?.followers !== undefined && (
          <div>
            <dt className="text-slate-500">Followers</dt>
            <dd>{c.stats.followers}</dd>
          </div>
        )}
        <div>
          <dt className="text-slate-500">Linked</dt>
          <dd>{formatDate(c.linkedAt)}</dd>
        </div>
        <div className="sm:col-span-2">
          <dt className="text-slate-500">Granted permissions</dt>
          <dd className="mt-1 flex flex-wrap gap-1.5">
            {c.grantedScopes.map((scope) => (
              <span key={scope} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
                {scope}
              </span>
            ))}
            {c.declinedScopes.map((scope) => (
              <span key={scope} className="rounded bg-red-50 px-1.5 py-0.5 font-mono text-xs text-red-800 line-through" title="Declined">
                {scope}
              </span>
            ))}
          </dd>
        </div>
      </dl>
      <div className="mt-5 flex flex-wrap gap-3">
        <form action={sync.bind(null, c.id)}>
          <SubmitButton className={BUTTON}>Sync now</SubmitButton>
        </form>
        <form action={reconnect.bind(null, c.id)}>
          <SubmitButton className={BUTTON}>Reconnect</SubmitButton>
        </form>
        <DisconnectButton name={c.name} providerName={providerName} action={disconnect.bind(null, c.id)} />
      </div>
    </li>
  );
}
