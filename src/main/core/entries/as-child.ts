/** Imported first by every child-process entry: under `utilityProcess`, speak Node's IPC (see parent-port.ts). */
import { adoptParentPort, type ParentPortLike } from '../parent-port';

adoptParentPort(process, (process as { parentPort?: ParentPortLike }).parentPort);
