import { z } from 'zod';

/** A request as it arrives on either transport, before its params are checked. */
export const requestEnvelope = z
  .object({
    id: z.number().int().nonnegative().optional(),
    method: z.string().min(1).max(64),
    params: z.unknown().optional(),
  })
  .strict();
