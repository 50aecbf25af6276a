import { isIP } from "node:net";

/**
 * Which IP addresses an outbound call to a user-supplied host may reach. Anything that is not
 * plainly a public unicast address is refused: a user-typed URL must never reach the machine
 * itself, the private network around it, or a cloud metadata service.
 */

export type RefusalReason =
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "metadata"
  | "cgnat"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "documentation"
  | "benchmarking"
  | "ipv4-mapped"
  | "not-an-ip";

export type AddressVerdict = { allowed: true } | { allowed: false; reason: RefusalReason };

type V4Range = readonly [base: string, prefix: number, reason: RefusalReason];

// Most specific first: the metadata address sits inside link-local.
const V4_REFUSED: readonly V4Range[] = [
  ["169.254.169.254", 32, "metadata"],
  ["169.254.170.2", 32, "metadata"],
  ["100.100.100.200", 32, "metadata"],
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "cgnat"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["255.255.255.255", 32, "broadcast"],
  ["240.0.0.0", 4, "reserved"],
];

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

const V4_TABLE = V4_REFUSED.map(([base, prefix, reason]) => {
  const size = 2 ** (32 - prefix);
  const start = Math.floor(v4ToInt(base) / size) * size;
  return { start, end: start + size - 1, reason };
});

function classifyV4Int(n: number): AddressVerdict {
  const hit = V4_TABLE.find((r) => n >= r.start && n <= r.end);
  return hit ? { allowed: false, reason: hit.reason } : { allowed: true };
}

/** An IPv6 address (zone removed, IPv4 tail allowed) as a 128-bit integer. */
export function v6ToBigInt(ip: string): bigint {
  let text = ip.replace(/%.*$/, "");
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail?.[1]) {
    const n = v4ToInt(v4Tail[1]);
    text = `${text.slice(0, -v4Tail[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || "0", 16)), 0n);
}

const inV6 = (n: bigint, base: string, prefix: number) => n >> BigInt(128 - prefix) === v6ToBigInt(base) >> BigInt(128 - prefix);

function classifyV6(ip: string): AddressVerdict {
  const n = v6ToBigInt(ip);
  if (n === 0n) return { allowed: false, reason: "unspecified" };
  if (n === 1n) return { allowed: false, reason: "loopback" };
  // Mapped and compatible forms would reach an IPv4 address through an IPv6 socket.
  if (inV6(n, "::ffff:0:0", 96)) return { allowed: false, reason: "ipv4-mapped" };
  if (inV6(n, "::", 96)) return { allowed: false, reason: "ipv4-mapped" };
  if (inV6(n, "fd00:ec2::254", 128)) return { allowed: false, reason: "metadata" };
  // NAT64 and 6to4 carry an IPv4 address: judge the address they lead to.
  if (inV6(n, "64:ff9b::", 96)) return classifyV4Int(Number(n & 0xffffffffn));
  if (inV6(n, "2002::", 16)) return classifyV4Int(Number((n >> 80n) & 0xffffffffn));
  if (inV6(n, "fc00::", 7)) return { allowed: false, reason: "private" };
  if (inV6(n, "fe80::", 10)) return { allowed: false, reason: "link-local" };
  if (inV6(n, "ff00::", 8)) return { allowed: false, reason: "multicast" };
  if (inV6(n, "2001:db8::", 32) || inV6(n, "3fff::", 20)) return { allowed: false, reason: "documentation" };
  // Teredo, benchmarking, ORCHID and other protocol assignments.
  if (inV6(n, "2001::", 23)) return { allowed: false, reason: "reserved" };
  // Only global unicast space is public; the rest is reserved, site-local or unassigned.
  if (!inV6(n, "2000::", 3)) return { allowed: false, reason: "reserved" };
  return { allowed: true };
}

/** Whether an outbound call may connect to this literal IP address. */
export function classifyAddress(ip: string): AddressVerdict {
  const bare = ip.replace(/^\[|\]$/g, "");
  const family = isIP(bare.replace(/%.*$/, ""));
  if (family === 4) return classifyV4Int(v4ToInt(bare));
  if (family === 6) return classifyV6(bare);
  return { allowed: false, reason: "not-an-ip" };
}

/**
 * Host names refused before any DNS lookup: names that by definition (or by common practice)
 * point inside the network, and single-label names that a resolver's search list would expand.
 */
export function isRefusedHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (isIP(name.replace(/^\[|\]$/g, ""))) return false;
  if (!name.includes(".")) return true;
  return /(^|\.)(localhost|local|internal|home\.arpa|localdomain)$/.test(name) || name === "metadata.google.internal";
}
