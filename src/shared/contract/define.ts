import type { z } from 'zod';

/** A request: its params schema, whether it changes anything (refused read-only), its result type. */
export interface RequestDef<P extends z.ZodType, R> {
  params: P;
  /** Control requests (spawn, signal, stop…) are refused by a read-only session. */
  control: boolean;
  /** Phantom: the result type, never set at run time. */
  readonly result?: R;
}

/** `request<Result>()(paramsSchema, { control })` keeps the result type beside the schema. */
export const request =
  <R>() =>
  <P extends z.ZodType>(params: P, opts: { control: boolean }): RequestDef<P, R> => ({
    params,
    control: opts.control,
  });
