"use client";

import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { AdAccountView } from "@/server/ad-accounts/views";
import { AccountStatusBadge } from "./account-status";

type Page = { data: AdAccountView[]; nextCursor: string | null };
type ApiError = { error: { message: string; hint?: string } };

async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body = (await response.json().catch(() => null)) as T | ApiError | null;
  if (!response.ok) {
    const error = (body as ApiError | null)?.error;
    throw new Error(error ? `${error.message}${error.hint ? ` ${error.hint}` : ""}` : `Request failed (${response.status}).`);
  }
  return body as T;
}

/**
 * Server-side search and paging over the user's ad accounts (thousands are fine), grouped by
 * business, with a Select button per row.
 */
export function AdAccountPicker({ selectedId }: { selectedId: string | null }) {
  const router = useRouter();
  const [query, setQuery] = useState("");
  const [rows, setRows] = useState<AdAccountView[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [selecting, setSelecting] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const current = chosen ?? selectedId;
  const [, startTransition] = useTransition();
  const latest = useRef(0);

  const load = useCallback(async (q: string, cursor: string | null) => {
    const ticket = ++latest.current;
    setLoading(true);
    setError(null);
    try {
      const params = new URLSearchParams({ q });
      if (cursor) params.set("cursor", cursor);
      const page = await fetchJson<Page>(`/api/meta/ad-accounts?${params}`);
      if (ticket !== latest.current) return; // a newer search superseded this one
      setRows((previous) => (cursor ? [...previous, ...page.data] : page.data));
      setNextCursor(page.nextCursor);
    } catch (e) {
      if (ticket === latest.current) setError((e as Error).message);
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => void load(query.trim(), null), query ? 250 : 0);
    return () => clearTimeout(timer);
  }, [query, load]);

  async function select(adAccountId: string) {
    setSelecting(adAccountId);
    setError(null);
    try {
      await fetchJson("/api/meta/ad-accounts/select", { method: "POST", body: JSON.stringify({ adAccountId }) });
      setChosen(adAccountId);
      startTransition(() => router.refresh());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSelecting(null);
    }
  }

  const groups = new Map<string, AdAccountView[]>();
  for (const row of rows) {
    const key = row.business?.name ?? "Personal accounts";
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }

  return (
    <section aria-labelledby="picker-title" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="picker-title" className="text-lg font-semibold">
          Ad accounts
        </h2>
        <div className="w-full sm:w-72">
          <label htmlFor="ad-account-search" className="block text-sm font-medium">
            Search ad accounts
          </label>
          <input
            id="ad-account-search"
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Name or act_ id"
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
          />
        </div>
      </div>
      {error && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <div aria-live="polite" aria-busy={loading} className="mt-4 space-y-5">
        {!loading && rows.length === 0 && !error && (
          <p className="text-slate-600">{query ? `No ad account matches "${query}".` : "No ad accounts on your linked Facebook accounts."}</p>
        )}
        {[...groups].map(([business, accounts]) => (
          <div key={business}>
            <h3 className="text-sm font-semibold uppercase tracking-wide text-slate-500">{business}</h3>
            <ul className="mt-2 divide-y divide-slate-100" aria-label={business}>
              {accounts.map((a) => (
                <li key={a.id} className="flex flex-wrap items-center gap-3 py-2" aria-label={a.name}>
                  <div className="min-w-0 flex-1">
                    <p className="truncate font-medium">{a.name}</p>
                    <p className="text-xs text-slate-500">
                      {a.adAccountId} · {a.currency} · {a.timezoneName}
                    </p>
                  </div>
                  <AccountStatusBadge status={a.status} />
                  {a.adAccountId === current ? (
                    <span className="rounded-md bg-slate-900 px-3 py-1 text-sm text-white">Selected</span>
                  ) : (
                    <button
                      type="button"
                      onClick={() => void select(a.adAccountId)}
                      disabled={selecting !== null}
                      aria-busy={selecting === a.adAccountId}
                      className="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 disabled:opacity-60"
                    >
                      Select
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </div>
        ))}
        {loading && (
          <ul aria-hidden className="space-y-2">
            {[0, 1, 2].map((i) => (
              <li key={i} className="h-10 animate-pulse rounded bg-slate-100" />
            ))}
          </ul>
        )}
        {nextCursor && !loading && (
          <button type="button" onClick={() => void load(query.trim(), nextCursor)} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
            Load more
          </button>
        )}
      </div>
    </section>
  );
}
