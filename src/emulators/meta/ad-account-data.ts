import { adAccountNumber, type Persona } from "./personas";
import { pick, rand, randInt } from "./seeded";
import type { NodeData } from "./fields";

/** Ad account objects, computed on demand from (seed, persona, index): nothing is stored. */

type Zone = { name: string; id: number; currency: string };

const ZONES: readonly Zone[] = [
  { name: "Europe/Berlin", id: 123, currency: "EUR" },
  { name: "America/Los_Angeles", id: 1, currency: "USD" },
  { name: "America/New_York", id: 7, currency: "USD" },
  { name: "Europe/London", id: 79, currency: "GBP" },
  { name: "Asia/Tokyo", id: 100, currency: "JPY" },
  { name: "Australia/Sydney", id: 157, currency: "AUD" },
];

/** Currencies whose minor unit is the whole unit (Meta's "offset 1"). */
export const ZERO_DECIMAL = new Set(["JPY", "KRW", "CLP", "VND", "TWD", "HUF", "ISK"]);

const BRANDS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Soylent", "Vandelay", "Wonka", "Cyberdyne", "Duff", "Gringotts", "Oscorp"];
const SUFFIX = ["EU", "US", "UK", "APAC", "Retargeting", "Prospecting", "Brand", "Performance", "Holiday", "Always-on"];

export type AccountProfile = {
  number: string;
  name: string;
  zone: Zone;
  currency: string;
  status: number;
  disableReason: number;
  createdAt: number;
  /** Typical daily spend in major units when delivering. */
  dailySpend: number;
  /** Share of days with delivery. */
  deliveryRate: number;
};

export function accountProfile(seed: number, p: Persona, i: number): AccountProfile {
  const number = adAccountNumber(p.index, i);
  const zone = pick(seed, ZONES, "zone", number);
  const { status, reason } = p.statusOf(i);
  const owner = p.ownerOf(i);
  const name =
    owner === null
      ? `${p.name}`
      : p.accountCount === 1
        ? `${owner.name} – Main`
        : `${pick(seed, BRANDS, "brand", number)} ${pick(seed, SUFFIX, "suffix", number)} #${i}`;
  const yearMs = 365.25 * 86400_000;
  const createdAt = Date.UTC(2016, 0, 1) + Math.floor(rand(seed, "created", number) * 8.5 * yearMs);
  const dailyMajor = zone.currency === "JPY" ? randInt(seed, 3000, 60000, "daily", number) : randInt(seed, 20, 900, "daily", number);
  return {
    number,
    name,
    zone,
    currency: zone.currency,
    status,
    disableReason: reason,
    createdAt,
    dailySpend: dailyMajor,
    deliveryRate: status === 1 ? 0.65 + rand(seed, "rate", number) * 0.3 : 0,
  };
}

/** Hours east of UTC for a zone at an instant (Meta reports a float). */
export function zoneOffsetHours(zone: string, at: number): number {
  const fmt = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  const tz = fmt.formatToParts(new Date(at)).find((x) => x.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(tz);
  if (!m) return 0;
  const sign = m[1] === "-" ? -1 : 1;
  return sign * (Number(m[2]) + Number(m[3]) / 60);
}

/** "2021-03-02T10:11:12+0100" in the account's time zone. */
export function metaTime(ms: number, zone: string): string {
  const off = zoneOffsetHours(zone, ms);
  const local = new Date(ms + off * 3600_000).toISOString().slice(0, 19);
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(off);
  const hh = String(Math.floor(abs)).padStart(2, "0");
  const mm = String(Math.round((abs % 1) * 60)).padStart(2, "0");
  return `${local}${sign}${hh}${mm}`;
}

export function adAccountData(seed: number, p: Persona, i: number, at: number, relation?: "owned" | "client"): NodeData {
  const prof = accountProfile(seed, p, i);
  const owner = p.ownerOf(i);
  const minor = ZERO_DECIMAL.has(prof.currency) ? 1 : 100;
  const spentMajor = prof.status === 1 || prof.status === 2 || prof.status === 3 ? Math.floor(rand(seed, "spent", prof.number) * 250_000) : 0;
  const balance = prof.status === 3 ? randInt(seed, 50, 5000, "bal", prof.number) * minor : 0;
  const cap = rand(seed, "cap", prof.number) < 0.3 ? (spentMajor + randInt(seed, 1000, 50_000, "capv", prof.number)) * minor : 0;
  const tasks = owner?.relation === "client" ? ["ADVERTISE", "ANALYZE"] : ["MANAGE", "ADVERTISE", "ANALYZE"];
  const data: NodeData = {
    id: `act_${prof.number}`,
    account_id: prof.number,
    name: prof.name,
    account_status: prof.status,
    disable_reason: prof.disableReason,
    currency: prof.currency,
    timezone_name: prof.zone.name,
    timezone_offset_hours_utc: zoneOffsetHours(prof.zone.name, at),
    timezone_id: prof.zone.id,
    amount_spent: String(spentMajor * minor),
    balance: String(balance),
    spend_cap: String(cap),
    owner: owner ? owner.id : undefined,
    user_tasks: tasks,
    created_time: metaTime(prof.createdAt, prof.zone.name),
    is_personal: owner ? 0 : 1,
    age: Math.round(((at - prof.createdAt) / 86400_000) * 100) / 100,
    min_daily_budget: prof.currency === "JPY" ? 150 : 100,
    capabilities: [],
  };
  if (owner) {
    data.business = { id: owner.id, name: owner.name };
    data.business_name = owner.name;
  }
  if (relation === "client") data.permitted_tasks = tasks;
  return data;
}
