/**
 * Codes any request can fail with around its handler, on either transport, and the
 * spellings every area shares: one code per failure, so a client tests one name.
 */
export type TransportErrorCode =
  | 'EBAD_MESSAGE' // not JSON, or not { id?, method, params? }
  | 'EUNKNOWN_METHOD'
  | 'EINVAL' // params failed validation (the message names the field)
  | 'ETOO_LARGE' // message over the size limit
  | 'EREADONLY' // a control request in a read-only session
  | 'EINTERNAL' // a bug; the message says no more than needed
  | 'EBUSY' // too much in flight (the socket, an area's queue): try again shortly
  | 'EFORBIDDEN' // from an untrusted frame or origin
  | 'EUNAUTHORIZED' // no credential or a wrong one (web)
  | 'ECODE_USED' // a one-time code unknown, expired or used (web)
  | 'ETICKET' // a download link expired or used (web)
  | 'ETIMEDOUT' // no answer in time (a client's request, a pool task)
  | 'EDISCONNECTED' // the client lost its connection
  | 'ENOT_FOUND' // no such thing by id (managed process, pool, pipeline) or route
  | 'EUNSUPPORTED' // not offered by this client or mode (save dialog in web mode, the synthetic feed)
  | 'ELIMIT' // a count limit reached (managed processes, pools)
  | 'ESTOPPED' // Spindle is shutting down
  | 'ETOKEN_FILE'; // the agent's token file is unsafe (readable by others, another owner) or unusable
