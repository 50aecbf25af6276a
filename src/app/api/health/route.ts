import { NextResponse } from "next/server";

// Liveness probe: answers without touching the database or the session.
export function GET() {
  return NextResponse.json({ status: "ok" });
}
