import { z } from 'zod';

/** A request as it arrives on either transport, before its params are checked. */
export const requestEnvelope = z
  .object({
    id: z.number().int().nonnegative().optional(),
    method: z.string().min(1).max(64),
    params: z.unknown().optional(),
    /** A remote host's id (the hosts area): the request is forwarded there. Absent: this server. */
    host: z.string().min(1).max(64).optional(),
  })
  .strict();
