import "server-only";
export { parseKeyRing, type KeyRing, type VaultKey } from "./key-ring";
export { seal, open, isEnvelope, envelopeKeyId, ENVELOPE_PREFIX } from "./envelope";
export {
  VaultDecryptError,
  VaultWriteError,
  isVaultDecryptError,
  type FieldLocation,
  type VaultDecryptReason,
} from "./errors";
