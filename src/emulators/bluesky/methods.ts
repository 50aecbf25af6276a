import { createAppPassword, listAppPasswords, revokeAppPassword } from "./app-passwords";
import { describeServer, getProfile, resolveHandle } from "./profile";
import { createRecord, listRecords } from "./records";
import { createSession, deleteSession, getSession, refreshSession } from "./session";
import type { MethodDef } from "./xrpc";

/** Every XRPC method the sandbox serves, with its lexicon's type, parameters and input. */
export const METHODS: Record<string, MethodDef> = {
  "com.atproto.server.createSession": {
    type: "procedure",
    input: {
      props: { identifier: "string", password: "string", authFactorToken: "string", allowTakendown: "boolean" },
      required: ["identifier", "password"],
    },
    handler: createSession,
  },
  "com.atproto.server.refreshSession": { type: "procedure", handler: refreshSession },
  "com.atproto.server.getSession": { type: "query", handler: getSession },
  "com.atproto.server.deleteSession": { type: "procedure", handler: deleteSession },
  "com.atproto.server.describeServer": { type: "query", handler: describeServer },
  "com.atproto.server.createAppPassword": {
    type: "procedure",
    input: { props: { name: "string", privileged: "boolean" }, required: ["name"] },
    handler: createAppPassword,
  },
  "com.atproto.server.listAppPasswords": { type: "query", handler: listAppPasswords },
  "com.atproto.server.revokeAppPassword": { type: "procedure", input: { props: { name: "string" }, required: ["name"] }, handler: revokeAppPassword },
  "com.atproto.identity.resolveHandle": { type: "query", params: { props: { handle: "string" }, required: ["handle"] }, handler: resolveHandle },
  "app.bsky.actor.getProfile": { type: "query", params: { props: { actor: "string" }, required: ["actor"] }, handler: getProfile },
  "com.atproto.repo.createRecord": {
    type: "procedure",
    input: {
      props: { repo: "string", collection: "string", rkey: "string", validate: "boolean", record: "object", swapCommit: "string" },
      required: ["repo", "collection", "record"],
    },
    handler: createRecord,
  },
  "com.atproto.repo.listRecords": {
    type: "query",
    params: { props: { repo: "string", collection: "string", limit: "integer", cursor: "string", reverse: "boolean" }, required: ["repo", "collection"] },
    handler: listRecords,
  },
};
