import { createOAuth2Sandbox, type OAuth2Sandbox } from "../oauth2/sandbox";
import { serveSandbox, type ListenOptions, type SandboxServer } from "../oauth2/server";
import type { OAuth2SandboxOptions } from "../oauth2/types";
import { pinterestProfile } from "./profile";

/** Pinterest sandbox: www.pinterest.com's dialog and api.pinterest.com (v5) at one base URL. */

export { DEFAULT_PINTEREST_CLIENT, PINTEREST_SCOPES } from "./profile";
export { PINTEREST_PERSONAS } from "./personas";

export function createPinterestSandbox(options: OAuth2SandboxOptions = {}): OAuth2Sandbox {
  return createOAuth2Sandbox(pinterestProfile(), options);
}

export function startPinterestServer(options: OAuth2SandboxOptions & ListenOptions = {}): Promise<SandboxServer<OAuth2Sandbox>> {
  return serveSandbox(createPinterestSandbox(options), options);
}
