import type { z } from 'zod';

/** A request: its params schema, whether it changes anything (refused read-only), its result type. */
export interface RequestDef<P extends z.ZodType, R, C extends boolean = boolean> {
  params: P;
  /** Control requests (spawn, signal, stop…) are refused by a read-only session and audited by dispatch. */
  control: C;
  /** Phantom: the result type, never set at run time. */
  readonly result?: R;
}

/** `request<Result>()(paramsSchema, { control })` keeps the result type and the control flag beside the schema. */
export const request =
  <R>() =>
  <P extends z.ZodType, C extends boolean>(params: P, opts: { control: C }): RequestDef<P, R, C> => ({
    params,
    control: opts.control,
  });
