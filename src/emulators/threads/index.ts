import { createOAuth2Sandbox, type OAuth2Sandbox } from "../oauth2/sandbox";
import { serveSandbox, type ListenOptions, type SandboxServer } from "../oauth2/server";
import type { OAuth2SandboxOptions } from "../oauth2/types";
import { threadsProfile } from "./profile";

/** Threads sandbox: threads.net's Authorization Window and graph.threads.net at one base URL. */

export { DEFAULT_THREADS_CLIENT, THREADS_SCOPES } from "./profile";
export { THREADS_PERSONAS } from "./personas";

export function createThreadsSandbox(options: OAuth2SandboxOptions = {}): OAuth2Sandbox {
  return createOAuth2Sandbox(threadsProfile(), options);
}

export function startThreadsServer(options: OAuth2SandboxOptions & ListenOptions = {}): Promise<SandboxServer<OAuth2Sandbox>> {
  return serveSandbox(createThreadsSandbox(options), options);
}
