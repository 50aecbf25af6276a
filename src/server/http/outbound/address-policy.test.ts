import { describe, expect, it } from "vitest";
import { classifyAddress, isRefusedHostname, v6ToBigInt } from "./address-policy";

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "cgnat"],
    ["100.127.255.254", "cgnat"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["100.100.100.200", "metadata"],
    ["169.254.1.1", "link-local"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "documentation"],
    ["198.18.0.1", "benchmarking"],
  ])("refuses IPv4 %s as %s", (ip, reason) => {
    expect(classifyAddress(ip)).toEqual({ allowed: false, reason });
  });

  it.each([
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["::ffff:127.0.0.1", "ipv4-mapped"],
    ["::ffff:7f00:1", "ipv4-mapped"],
    ["::ffff:8.8.8.8", "ipv4-mapped"],
    ["::127.0.0.1", "ipv4-mapped"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["fd00:ec2::254", "metadata"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"],
    ["64:ff9b::a00:1", "private"],
    ["64:ff9b::169.254.169.254", "metadata"],
    ["2002:c0a8:0101::1", "private"],
    ["2002:7f00:0001::1", "loopback"],
    ["fec0::1", "reserved"],
  ])("refuses IPv6 %s as %s", (ip, reason) => {
    expect(classifyAddress(ip)).toEqual({ allowed: false, reason });
  });

  it.each(["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450:4001:82b::200e", "64:ff9b::808:808", "2002:0808:0808::1"])(
    "allows the public address %s",
    (ip) => {
      expect(classifyAddress(ip)).toEqual({ allowed: true });
    },
  );

  it("refuses what is not an IP address", () => {
    expect(classifyAddress("mastodon.social")).toEqual({ allowed: false, reason: "not-an-ip" });
  });

  it("expands IPv6 text forms to the same number", () => {
    expect(v6ToBigInt("::ffff:127.0.0.1")).toBe(v6ToBigInt("0:0:0:0:0:ffff:7f00:0001"));
    expect(v6ToBigInt("2001:db8::1")).toBe(0x20010db8000000000000000000000001n);
  });
});

describe("isRefusedHostname", () => {
  it.each(["localhost", "LOCALHOST.", "app.localhost", "printer.local", "metadata.google.internal", "nas.home.arpa", "intranet"])("refuses %s before any lookup", (name) => {
    expect(isRefusedHostname(name)).toBe(true);
  });

  it.each(["mastodon.social", "fosstodon.org", "xn--bcher-kva.example", "127.0.0.1"])("leaves %s to DNS and the address rule", (name) => {
    expect(isRefusedHostname(name)).toBe(false);
  });
});
