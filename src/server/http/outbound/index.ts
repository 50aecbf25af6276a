import { env } from "@/env";
import { createOutboundFetch, type OutboundFetch, type OutboundInit } from "./outbound-fetch";

/** Outbound calls to user-supplied hosts (docs/decisions/026-outbound-safety.md). */
export { classifyAddress, isRefusedHostname, type AddressVerdict, type RefusalReason } from "./address-policy";
export { OutboundError, type OutboundErrorCode } from "./outbound-error";
export { createOutboundFetch, OUTBOUND_DEFAULTS, type OutboundFetch, type OutboundInit, type OutboundPolicy, type Resolver, type ResolvedAddress } from "./outbound-fetch";

const cache = globalThis as unknown as { __linkboardOutbound?: OutboundFetch };

/** The process's outbound fetch, configured from the environment (OUTBOUND_ALLOW_PRIVATE_HOSTS). */
export function outboundFetch(url: string | URL, init?: OutboundInit): Promise<Response> {
  cache.__linkboardOutbound ??= createOutboundFetch({ allowPrivateHosts: env().outbound.allowPrivateHosts });
  return cache.__linkboardOutbound(url, init);
}
