import { isIP } from "node:net";

/**
 * Whether a socket's peer address is this machine's loopback: 127.0.0.0/8, ::1, or either written
 * as an IPv4-mapped IPv6 address (what a dual-stack listener reports for 127.0.0.1).
 */
export function isLoopbackAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const plain = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  if (isIP(plain) === 4) return plain.startsWith("127.");
  if (isIP(plain) === 6) return /^(0{0,4}:){1,7}0{0,3}1$|^::1$/.test(plain);
  return false;
}
