/** Ids embed their persona's digit, so an id tells whose it is (and never collides across personas). */

export const biz = (p: number, n: number) => `41${p}${String(n).padStart(10, "0")}`;
export const page = (p: number, n: number) => `103${p}${String(n).padStart(9, "0")}`;
export const ig = (p: number, n: number) => `178414${p}${String(n).padStart(10, "0")}`;
