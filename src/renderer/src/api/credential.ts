/** How the web session's credential travels: pure, so code without a page (tests) can use it. */

/** The WebSocket subprotocols that carry the credential (a browser cannot set headers on it). */
export const wsProtocols = (session: string): string[] => ['spindle.v1', `spindle.bearer.${session}`];

/** The header every HTTP request to /api/ carries. */
export const authHeader = (session: string): Record<string, string> => ({
  Authorization: `Bearer ${session}`,
});
