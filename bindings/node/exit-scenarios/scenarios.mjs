// Ways a Node program using vivamo ends, one per process: `cargo xtask test` runs each many
// times against a sandbox with latency (so requests are in flight at exit) and checks the exit
// status, that stderr holds nothing unexpected and that exit takes no longer than its bound.
//
// Usage: node scenarios.mjs SCENARIO BASE_URL. Each scenario prints `exiting <unix time>` just
// before the program starts to end. Not a `node --test` suite (it lives outside __test__/): it
// only makes sense as separate processes. The customer `exit_s1` is created by the Python
// scenarios' `setup`, run first.
import { Worker } from 'node:worker_threads';
import { Vivamo } from 'vivamo';

const [scenario, baseURL] = process.argv.slice(2);
const CUSTOMER = 'exit_s1';
// The event hooks are thread-safe functions like the logger: they must never keep the
// process alive or be called once it is going.
const events = [];
const client = () =>
  new Vivamo({
    apiKey: 'sk_test_vivamo_sandbox',
    environment: 'sandbox',
    baseUrl: baseURL,
    onRequest: (e) => events.push(e),
    onResponse: (e) => events.push(e),
  });
const exiting = () => process.stdout.write(`exiting ${Date.now() / 1000}\n`);
// Requests nobody waits for: they are in flight when the program ends.
const inFlight = (vivamo, n) => {
  for (let i = 0; i < n; i++) vivamo.customers.get(CUSTOMER).catch(() => {});
};

class ScenarioError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ScenarioError';
  }
}

const scenarios = {
  // An in-process `vivamo/testing` sandbox never stopped, requests to it in flight, then the
  // program ends (process.exit: the sandbox alone does not keep the event loop alive).
  async sandbox_open() {
    const { Sandbox } = await import('vivamo/testing');
    const sandbox = await Sandbox.start({ latencyMs: 5 });
    const vivamo = sandbox.client();
    await vivamo.customers.ensure({ externalCustomerId: CUSTOMER, data: { email: 'exit@example.com' } });
    inFlight(vivamo, 16);
    exiting();
    process.exit(0);
  },
  // The event loop empties while requests are in flight on the native runtime... it cannot:
  // pending promises of native calls keep it alive, so this ends when they settle.
  async natural_exit() {
    const vivamo = client();
    await Promise.all(Array.from({ length: 16 }, () => vivamo.customers.get(CUSTOMER)));
    inFlight(vivamo, 16);
    exiting();
  },
  // process.exit() with requests in flight.
  async process_exit() {
    const vivamo = client();
    await vivamo.customers.get(CUSTOMER);
    inFlight(vivamo, 32);
    exiting();
    process.exit(3);
  },
  // A worker using vivamo, terminated with requests in flight; then a natural exit.
  async worker_terminated() {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: { baseURL, customer: CUSTOMER },
    });
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    const vivamo = client();
    await vivamo.customers.get(CUSTOMER);
    exiting();
  },
  // An unhandled rejection with requests in flight: Node prints it and exits with 1.
  async unhandled_rejection() {
    const vivamo = client();
    inFlight(vivamo, 16);
    await new Promise((resolve) => setTimeout(resolve, 3));
    exiting();
    Promise.reject(new ScenarioError('deliberate'));
  },
};

if (!(scenario in scenarios) || !baseURL) {
  console.error(`usage: node scenarios.mjs {${Object.keys(scenarios)}} BASE_URL`);
  process.exit(2);
}
await scenarios[scenario]();
