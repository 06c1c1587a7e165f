/** Failures cross the boundary as values, never as thrown exceptions. */

import type { ErrorCode } from './contract';

export type { ErrorCode };

export interface ErrorValue {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };

/** An expected failure thrown inside core and turned into `{ ok: false }` at the boundary. */
export class SpindleError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SpindleError';
  }
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});
