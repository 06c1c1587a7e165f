export function run(cmd: string, args: string[], env?: Record<string, string>): void;
export function ensureDeps(): void;
export function ensureBuild(): void;
export function ensureNative(): void;
export const nativeClock: string;
export const root: string;
