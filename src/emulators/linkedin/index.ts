import { createOAuth2Sandbox, type OAuth2Sandbox } from "../oauth2/sandbox";
import { serveSandbox, type ListenOptions, type SandboxServer } from "../oauth2/server";
import type { OAuth2SandboxOptions } from "../oauth2/types";
import { linkedInProfile } from "./profile";

/** LinkedIn sandbox: www.linkedin.com (dialog, token, OIDC) and api.linkedin.com at one base URL. */

export { DEFAULT_LINKEDIN_CLIENT, LINKEDIN_SCOPES } from "./profile";
export { LINKEDIN_PERSONAS } from "./personas";

export function createLinkedInSandbox(options: OAuth2SandboxOptions = {}): OAuth2Sandbox {
  return createOAuth2Sandbox(linkedInProfile(), options);
}

export function startLinkedInServer(options: OAuth2SandboxOptions & ListenOptions = {}): Promise<SandboxServer<OAuth2Sandbox>> {
  return serveSandbox(createLinkedInSandbox(options), options);
}
