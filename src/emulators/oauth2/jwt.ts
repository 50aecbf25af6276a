import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type { Runtime } from "./profile";

/** RS256 id_tokens and the JWKS that verifies them (LinkedIn, Google). The key lives in the state. */

const keyCache = new Map<string, KeyObject>();
let processKey: { kid: string; privateKeyPem: string } | undefined;

/** One RSA key per process for new sandboxes (key generation is slow); a saved state keeps its own. */
function freshKey(): { kid: string; privateKeyPem: string } {
  if (!processKey) {
    const { privateKey: k } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    processKey = { kid: randomBytes(8).toString("hex"), privateKeyPem: k.export({ format: "pem", type: "pkcs8" }).toString() };
  }
  return { ...processKey };
}

function privateKey(rt: Runtime): { kid: string; key: KeyObject } {
  let sk = rt.s.signingKey;
  if (!sk) {
    sk = freshKey();
    rt.s.signingKey = sk;
  }
  let key = keyCache.get(sk.privateKeyPem);
  if (!key) {
    key = createPrivateKey(sk.privateKeyPem);
    keyCache.set(sk.privateKeyPem, key);
  }
  return { kid: sk.kid, key };
}

const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString("base64url");

export function signJwt(rt: Runtime, claims: Record<string, unknown>): string {
  const { kid, key } = privateKey(rt);
  const input = `${b64({ alg: "RS256", kid, typ: "JWT" })}.${b64(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

export function jwks(rt: Runtime): { keys: Record<string, unknown>[] } {
  const { kid, key } = privateKey(rt);
  const jwk = createPublicKey(key).export({ format: "jwk" });
  return { keys: [{ ...jwk, kid, use: "sig", alg: "RS256" }] };
}

/** OIDC at_hash: the left half of the access token's SHA-256, base64url. */
export function atHash(accessToken: string): string {
  return createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
}
