import { LINK_ERRORS as LINK_STEP_ERRORS } from "@/server/connections/link-error";

/**
 * Every `?error=` the settings page can receive after "Link Facebook": the link step's own
 * reasons (src/server/connections/link-error.ts) plus the ones that happen around it, in the
 * dialog or in Auth.js, before our link code runs.
 */
export const LINK_ERRORS = {
  ...LINK_STEP_ERRORS,
  cancelled: { message: "Facebook linking was cancelled.", hint: "Nothing was stored. Link Facebook again whenever you are ready." },
  access_denied: { message: "Facebook did not grant access.", hint: "Link Facebook again and approve the requested permissions." },
  link_requires_session: { message: "Sign in first, then link Facebook from Settings.", hint: "Facebook can't be used to sign in to Linkboard." },
  state_mismatch: {
    message: "The Facebook sign-in could not be verified (the security check did not match).",
    hint: "This happens when the link was started in another tab or took too long. Start again from this page.",
  },
} as const;

export type LinkErrorReason = keyof typeof LINK_ERRORS;

export function linkErrorFor(reason: string | undefined | null): { message: string; hint: string } | null {
  if (!reason) return null;
  return reason in LINK_ERRORS ? LINK_ERRORS[reason as LinkErrorReason] : LINK_ERRORS.link_failed;
}
