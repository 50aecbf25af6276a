import type { Params } from "../meta/http";
import type { OAuth2State } from "./state";
import type { ClientConfig, FaultKind, PersonaBase, ProviderId } from "./types";

/** What a platform folder supplies to the core: its dialog rules, routes, errors and personas. */

export type ClientRecord = OAuth2State["clients"][string];

export type Runtime<P extends PersonaBase = PersonaBase> = {
  /** Replaced wholesale by importState; always read through `rt.s`. */
  s: OAuth2State;
  profile: Profile<P>;
  basePath: string;
  controlsEnabled: boolean;
  timeoutMs: number;
  now(): number;
  /** A persona with its overrides (name, stats) applied. */
  persona(id: string): P | undefined;
  client(id: string | undefined): ClientRecord | undefined;
  log(action: string, detail?: Record<string, unknown>): void;
};

export type DirectGrant = { clientId: string; personaId: string; scopes: string[] };

export type RouteKind = "token" | "revoke" | "introspect" | "api" | "discovery";

export type RouteContext<P extends PersonaBase = PersonaBase> = {
  rt: Runtime<P>;
  request: Request;
  url: URL;
  /** Path after the base path. */
  path: string;
  /** Origin + base path, for absolute URLs the sandbox emits. */
  base: string;
  query: Params;
  body: Params;
  /** Body and query together (query wins). */
  params: Params;
  match: RegExpExecArray | null;
  /** Tell the request log which token the call used (its id, never its value). */
  noteToken(tokenId: string | null): void;
};

export type Route<P extends PersonaBase = PersonaBase> = {
  method: "GET" | "POST" | ("GET" | "POST" | "DELETE")[];
  path: string | RegExp;
  kind: RouteKind;
  handle(ctx: RouteContext<P>): Response | Promise<Response>;
};

export type DialogRequest = {
  client: ClientRecord;
  redirectUri: string;
  state?: string;
  /** Requested scopes, normalised and without duplicates. */
  scopes: string[];
  responseType: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  raw: Params;
};

export type DialogSpec<P extends PersonaBase = PersonaBase> = {
  paths: string[];
  /** Page heading, e.g. "Authorize app". */
  title: string;
  clientIdParam: string;
  splitScopes(raw: string): string[];
  normalizeScope?(scope: string): string;
  requireState: boolean;
  /** required: refuse without a challenge; optional: verify when sent; none: ignored. */
  pkce: "required" | "optional" | "none";
  pkceMethods(client: ClientRecord): string[];
  /** Scopes a user can untick; absent = all-or-nothing consent. */
  declinable?(scope: string): boolean;
  /** Platform checks after the common ones; a Response refuses the request. */
  check?(d: DialogRequest, rt: Runtime<P>, refuse: (title: string, message: string) => Response): Response | null;
  /** How the platform refuses without redirecting (default: an HTML error page, status 400). */
  refuse?(title: string, message: string): Response;
  /** A scope the app may not ask for (default: refuse). */
  onUnknownScope?(d: DialogRequest, scope: string): Response;
  /** Add scopes granted earlier to this grant (Pinterest always; Google with include_granted_scopes). */
  keepEarlierScopes?(d: DialogRequest): boolean;
  /** Whether this authorization's code exchange returns a refresh token (default true). */
  issuesRefresh?(d: DialogRequest, granted: string[], firstConsent: boolean, rt: Runtime<P>): boolean;
  codeTtlMs: number;
  mintCode(): string;
  approveParams(d: DialogRequest, code: string, granted: string[]): Record<string, string | undefined>;
  cancelParams(d: DialogRequest): Record<string, string | undefined>;
  /** Appended to every redirect (Threads: "#_"). */
  fragment?: string;
};

export type Profile<P extends PersonaBase = PersonaBase> = {
  id: ProviderId;
  /** "X", "LinkedIn", … */
  platform: string;
  brandColor: string;
  personas: P[];
  defaultClient: ClientConfig;
  knownScopes: string[];
  dialog: DialogSpec<P>;
  routes: Route<P>[];
  /** The platform's answer to an injected fault on a route of this kind. */
  faultResponse(kind: Exclude<FaultKind, "timeout" | "invalid_grant">, route: RouteKind, rt: Runtime<P>): Response;
  /** For /_control/tokens: create a grant and mint what a code exchange would give, as the platform's token JSON. */
  issueDirect(rt: Runtime<P>, o: DirectGrant, base: string): Record<string, unknown>;
  /** Paths and lifetimes, for GET /_control and the standalone script. */
  describe: { endpoints: Record<string, string>; lifetimes: Record<string, string> };
};
