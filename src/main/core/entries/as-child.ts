/**
 * Imported first by every child-process entry: under `utilityProcess` (parent-port.ts), or when
 * started by the supervisor helper (socket-channel.ts), speak Node's IPC.
 */
import { adoptParentPort, type ParentPortLike } from '../parent-port';
import { adoptSocketChannel } from '../socket-channel';

if (!adoptSocketChannel(process))
  adoptParentPort(process, (process as { parentPort?: ParentPortLike }).parentPort);
