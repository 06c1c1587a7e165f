import os from 'node:os';
import si from 'systeminformation';
import type { SystemInfo } from '../../../shared/contract';

/** Static system facts from systeminformation, read once at start-up. */
export async function readSystemInfo(): Promise<SystemInfo> {
  const [osInfo, cpu] = await Promise.all([si.osInfo(), si.cpu()]);
  return {
    hostname: osInfo.hostname || os.hostname(),
    platform: osInfo.platform,
    distro: osInfo.distro,
    release: osInfo.release,
    arch: osInfo.arch,
    cpuModel: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ') || os.cpus()[0]?.model || '',
    cores: os.availableParallelism(),
    memTotal: os.totalmem(),
  };
}
