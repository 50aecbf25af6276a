import { describe, expect, it } from "vitest";
import { createUsageGate, pauseFor } from "./usage-gate";

function fakeClock() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return { sleeps, now: () => new Date(t), sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)) };
}

describe("usage gate", () => {
  it("does not pause at low usage, slows above 75 %, stops above 95 %", () => {
    expect(pauseFor({ app: { call_count: 20 } })).toBe(0);
    expect(pauseFor({ app: { call_count: 80 } })).toBe(10_000);
    expect(pauseFor({ business: { "1": [{ total_time: 97 }] } })).toBe(60_000);
  });
  it("waits estimated_time_to_regain_access (minutes) when Meta gives one", () => {
    expect(pauseFor({ business: { "1": [{ call_count: 100, estimated_time_to_regain_access: 12 }] } })).toBe(12 * 60_000);
  });
  it("reads usage headers inside batch items and makes the next request wait", async () => {
    const clock = fakeClock();
    const gate = createUsageGate(clock);
    const body = JSON.stringify([{ code: 200, headers: [{ name: "x-app-usage", value: JSON.stringify({ call_count: 99 }) }], body: "{}" }]);
    const fetcher = gate.wrap(async () => new Response(body, { headers: { "content-type": "application/json" } }));
    await fetcher("http://graph.test/v25.0/", { method: "POST" });
    expect(await gate.pass()).toBe(60_000);
    expect(clock.sleeps).toEqual([60_000]);
    expect(await gate.pass()).toBe(0);
    expect(gate.stats()).toMatchObject({ requests: 1, waitedMs: 60_000, peakPressure: 99 });
  });
  it("closes for a throttle answer's retry-after", async () => {
    const clock = fakeClock();
    const gate = createUsageGate(clock);
    gate.throttled(300);
    expect(await gate.pass()).toBe(300_000);
  });
  it("shares full stops with other processes and waits for theirs; short slow-downs stay local", async () => {
    const clock = fakeClock();
    const holds: { until: number; reason: string }[] = [];
    let elsewhere = 0;
    const shared = {
      resumeAt: async () => Math.max(elsewhere, ...holds.map((h) => h.until)),
      hold: async (until: number, o: { reason: string }) => (holds.push({ until, reason: o.reason }), 1),
    };
    const gate = createUsageGate(clock, shared);
    const answer = (usage: object) => gate.wrap(async () => new Response("{}", { headers: { "x-app-usage": JSON.stringify(usage), "content-type": "application/json" } }));
    await answer({ call_count: 80 })("http://graph.test/v25.0/x");
    expect(holds).toEqual([]);
    expect(await gate.pass()).toBe(10_000);
    await answer({ call_count: 97 })("http://graph.test/v25.0/x");
    expect(holds).toEqual([{ until: clock.now().getTime() + 60_000, reason: "near_limit" }]);
    // Another process held the budget longer than this one knew.
    elsewhere = clock.now().getTime() + 5 * 60_000;
    expect(await gate.pass()).toBe(5 * 60_000);
    gate.throttled(120);
    expect(await gate.pass()).toBe(120_000);
    expect(holds.map((h) => h.reason)).toEqual(["near_limit", "throttled"]);
  });
});
