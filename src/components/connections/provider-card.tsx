import { SubmitButton } from "@/components/submit-button";
import type { ProviderSummary } from "@/server/connections/list-connections";

type Props = {
  provider: ProviderSummary;
  /** Sandbox personas for Quick connect (empty when the provider's sandbox is off). */
  personas: { id: string; label: string }[];
  link: () => Promise<void>;
  quickConnect: (form: FormData) => Promise<void>;
};

/**
 * One provider on the settings page: "Link <name>", or "Not configured" with what to set. In
 * sandbox mode, "Quick connect (sandbox)" runs the same link flow with the sandbox dialog approving
 * at once as the chosen persona.
 */
export function ProviderCard({ provider: p, personas, link, quickConnect }: Props) {
  const selectId = `quick-connect-${p.id}`;
  return (
    <li className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" aria-label={`${p.name} provider`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">{p.name}</h2>
        {!p.configured && <span className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-700">Not configured</span>}
      </div>
      {p.configured && p.linkKind === "oauth" ? (
        <form action={link}>
          <SubmitButton className="inline-flex items-center gap-2 rounded-md px-4 py-2 font-medium text-white hover:opacity-90 disabled:opacity-60" style={{ backgroundColor: p.brandColor }}>
            Link {p.name}
          </SubmitButton>
        </form>
      ) : (
        !p.configured && (
          <p className="text-sm text-slate-600">
            To offer {p.name}, set {p.missing.map((m) => m.name).join(" and ")}
            {p.missing[0] ? ` (${p.missing[0].hint})` : ""}.
          </p>
        )
      )}
      {p.configured && personas.length > 0 && (
        <form action={quickConnect} className="flex flex-wrap items-end gap-2 border-t border-dashed border-slate-200 pt-3 text-sm">
          <label htmlFor={selectId} className="flex flex-col gap-1">
            Sandbox persona
            <select id={selectId} name="persona" className="rounded-md border border-slate-300 bg-white px-2 py-1.5">
              {personas.map((persona) => (
                <option key={persona.id} value={persona.id}>
                  {persona.label}
                </option>
              ))}
            </select>
          </label>
          <SubmitButton className="inline-flex items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-100 disabled:opacity-60">
            Quick connect (sandbox)
          </SubmitButton>
        </form>
      )}
    </li>
  );
}
