import { ZodError } from "zod";

/** The error codes of the JSON API and the HTTP status each one maps to (one place). */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  MISSING_PREREQUISITE: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  CONFIG_ERROR: 500,
  INTERNAL_ERROR: 500,
  PROVIDER_ERROR: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorBody = { error: { code: ErrorCode; message: string; hint?: string; field?: string } };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly field?: string;
  readonly retryAfterSeconds?: number;

  constructor(opts: { code: ErrorCode; message: string; hint?: string; field?: string; retryAfterSeconds?: number; cause?: unknown }) {
    super(opts.message, { cause: opts.cause });
    this.name = "AppError";
    this.code = opts.code;
    this.hint = opts.hint;
    this.field = opts.field;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.hint ? { hint: this.hint } : {}),
        ...(this.field ? { field: this.field } : {}),
      },
    };
  }
}

/** A zod failure as a VALIDATION_ERROR naming the first offending field. */
export function fromZodError(error: ZodError): AppError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join(".") : undefined;
  const message = issue
    ? field
      ? `${field}: ${issue.message}`
      : issue.message
    : "The request is not valid.";
  return new AppError({ code: "VALIDATION_ERROR", message, field });
}

/** Anything thrown → an AppError; unknown errors become a generic 500 that leaks nothing. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return fromZodError(error);
  return new AppError({ code: "INTERNAL_ERROR", message: "Something went wrong on our side.", hint: "Try again in a moment." });
}
