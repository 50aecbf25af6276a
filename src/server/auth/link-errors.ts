import "server-only";
import { fillProvider, LINK_ERRORS as LINK_STEP_ERRORS } from "@/server/connections/link-error";

/**
 * Every `?error=` the settings page can receive after "Link <provider>": the link step's own
 * reasons (src/server/connections/link-error.ts) plus the ones that happen around it, in the
 * dialog or in Auth.js, before our link code runs.
 */
export const LINK_ERRORS = {
  ...LINK_STEP_ERRORS,
  cancelled: { message: "{p} linking was cancelled.", hint: "Nothing was stored. Link {p} again whenever you are ready." },
  access_denied: { message: "{p} did not grant access.", hint: "Link {p} again and approve the requested permissions." },
  link_requires_session: { message: "Sign in first, then link {p} from Settings.", hint: "{p} can't be used to sign in to Linkboard." },
  state_mismatch: {
    message: "The {p} sign-in could not be verified (the security check did not match).",
    hint: "This happens when the link was started in another tab or took too long. Start again from this page.",
  },
} as const;

export type LinkErrorReason = keyof typeof LINK_ERRORS;

export function linkErrorFor(reason: string | undefined | null, providerName: string): { message: string; hint: string } | null {
  if (!reason) return null;
  const spec = reason in LINK_ERRORS ? LINK_ERRORS[reason as LinkErrorReason] : LINK_ERRORS.link_failed;
  return { message: fillProvider(spec.message, providerName), hint: fillProvider(spec.hint, providerName) };
}
