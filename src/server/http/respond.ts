import { NextResponse } from "next/server";
import { logger } from "@/server/logger";
import { AppError, toAppError } from "@/server/errors";

/** The one place an error becomes an HTTP response in the standard shape. */
export function errorResponse(error: unknown): NextResponse {
  const appError = toAppError(error);
  if (!(error instanceof AppError) && appError.code === "INTERNAL_ERROR") {
    logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "unhandled error");
  }
  const headers: Record<string, string> = {};
  if (appError.retryAfterSeconds) headers["retry-after"] = String(appError.retryAfterSeconds);
  return NextResponse.json(appError.toBody(), { status: appError.status, headers });
}

/** Wraps a route handler so every thrown error takes the standard shape. */
export function route<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
