import { z } from 'zod';
import { request } from './define';

/** Static facts about the machine, read once. */
export interface SystemInfo {
  hostname: string;
  platform: string;
  distro: string;
  release: string;
  arch: string;
  cpuModel: string;
  cores: number;
  memTotal: number;
}

export interface AppInfo {
  version: string;
  /** How this client is attached. */
  transport: 'electron' | 'web';
  readOnly: boolean;
}

const empty = z.object({}).strict().optional();

export const systemRequests = {
  'system.info': request<SystemInfo>()(empty, { control: false }),
  'app.info': request<AppInfo>()(empty, { control: false }),
};
