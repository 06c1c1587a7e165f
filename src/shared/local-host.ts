/** The id of this machine's own row in the hosts area (a module without zod: the window imports it). */
export const LOCAL_HOST = 'local';
