// The worker of the `worker_terminated` exit scenario: keeps requests in flight until it is
// terminated; tells the main thread once the first ones have answered.
import { parentPort, workerData } from 'node:worker_threads';
import { Vivamo } from 'vivamo';

const vivamo = new Vivamo({
  apiKey: 'sk_test_vivamo_sandbox',
  environment: 'sandbox',
  baseUrl: workerData.baseURL,
  // Hooks called while the worker is terminated must be dropped, not crash the process.
  onRequest: () => {},
  onResponse: () => {},
});
const get = () => vivamo.customers.get(workerData.customer);
await Promise.all([get(), get()]);
for (let i = 0; i < 32; i++) get().catch(() => {});
const forever = async () => {
  for (;;) await get();
};
forever();
parentPort.postMessage('running');
