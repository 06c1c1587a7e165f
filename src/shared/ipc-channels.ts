/** Electron IPC channel names (no imports, so the preload stays tiny). */
export const IPC_REQUEST = 'spindle:request';
export const IPC_EVENT = 'spindle:event';
