/** Deterministic pseudo-randomness: the same seed and keys always give the same value. */

function cyrb53(str: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A float in [0, 1) derived from the seed and the keys. */
export function rand(seed: number, ...keys: (string | number)[]): number {
  return cyrb53(keys.join("\u0001"), seed) / 9007199254740992;
}

export function randInt(seed: number, min: number, max: number, ...keys: (string | number)[]): number {
  return min + Math.floor(rand(seed, ...keys) * (max - min + 1));
}

export function pick<T>(seed: number, items: readonly T[], ...keys: (string | number)[]): T {
  const item = items[Math.floor(rand(seed, ...keys) * items.length)];
  if (item === undefined) throw new Error("pick from empty list");
  return item;
}

/** A decimal digit string of the given length, stable for the keys. */
export function digits(seed: number, length: number, ...keys: (string | number)[]): string {
  let out = "";
  let i = 0;
  while (out.length < length) out += String(cyrb53(keys.join("\u0001") + "#" + i++, seed)).padStart(16, "0");
  return out.slice(0, length);
}
