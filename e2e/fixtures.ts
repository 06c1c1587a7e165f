/** Shared e2e helpers: the server URL and a place for screenshots to keep. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ARTIFACTS = join(process.cwd(), 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** The URL (with token) printed by the server global-setup started. */
export function serverUrl(): string {
  const url = process.env.SPINDLE_E2E_URL;
  if (!url) throw new Error('SPINDLE_E2E_URL not set: run through playwright test');
  return url;
}

/** The same origin without the token (a browser with no cookie gets refused). */
export function originOnly(): string {
  const u = new URL(serverUrl());
  return `${u.protocol}//${u.host}/`;
}

export const artifact = (name: string): string => join(ARTIFACTS, name);
