// From TypeScript sources only (tests, tsx): BullMQ's worker threads ignore the parent's
// `--import tsx`, so this plain-JS processor registers tsx itself and hands on to the .ts one.
import { register } from 'tsx/esm/api';

register();
const { default: processor } = await import('./queue-processor.ts');
export default processor;
