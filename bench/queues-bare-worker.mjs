// The baseline of bench/queues.ts: a bare BullMQ Worker with the settings `spindle worker` uses
// (one ioredis client, maxRetriesPerRequest null, the same trivial processor), nothing else.
// argv: <redis url> <queue> <concurrency>. Prints `ready` once connected; SIGTERM closes it.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const [url, queue, concurrency] = process.argv.slice(2);
const client = new Redis(url, { maxRetriesPerRequest: null });
const worker = new Worker(queue, async (job) => job.data?.item ?? null, {
  connection: client,
  concurrency: Number(concurrency),
});
worker.on('error', (err) => console.error(err.message));
await worker.waitUntilReady();
console.log('ready');
process.on('SIGTERM', async () => {
  await worker.close();
  await client.quit();
  process.exit(0);
});
