import { createOAuth2Sandbox, type OAuth2Sandbox } from "../oauth2/sandbox";
import { serveSandbox, type ListenOptions, type SandboxServer } from "../oauth2/server";
import type { OAuth2SandboxOptions } from "../oauth2/types";
import { xProfile, type XOptions } from "./profile";

/** X sandbox: x.com's OAuth 2.0 dialog and api.x.com (token, revoke, /2/users/me) at one base URL. */

export { DEFAULT_X_CLIENT, X_SCOPES } from "./profile";
export { X_PERSONAS } from "./personas";

export type XSandboxOptions = OAuth2SandboxOptions & XOptions;

export function createXSandbox(options: XSandboxOptions = {}): OAuth2Sandbox {
  return createOAuth2Sandbox(xProfile(options), options);
}

export function startXServer(options: XSandboxOptions & ListenOptions = {}): Promise<SandboxServer<OAuth2Sandbox>> {
  return serveSandbox(createXSandbox(options), options);
}
