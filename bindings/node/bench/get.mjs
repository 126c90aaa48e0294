// Throughput of `customers.get` through vivamo versus the same calls with Node's own fetch,
// 64 in flight and sequentially, against one vivamo-sandbox (use a release build).
//
//   VIVAMO_SANDBOX_BIN=target/release/vivamo-sandbox node bench/get.mjs [--requests N] [--json]
//
// Prints one line per measurement, and with --json a final JSON object (for cargo xtask bench).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

import { Vivamo } from '../index.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const REQUESTS = flag('--requests', 20000);
const SEQUENTIAL = flag('--sequential', 3000);
const IN_FLIGHT = 64;
const KEY = 'sk_test_vivamo_sandbox';

const bin = process.env.VIVAMO_SANDBOX_BIN;
if (!bin) throw new Error('set VIVAMO_SANDBOX_BIN to a (release) vivamo-sandbox binary');
const sandbox = spawn(bin, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const lines = createInterface({ input: sandbox.stdout });
const [first] = await once(lines, 'line');
const baseUrl = /listening on (\S+)/.exec(first)[1];
lines.on('line', () => {});

const seeded = await fetch(`${baseUrl}/__sandbox/seed`, {
  method: 'POST',
  headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  body: JSON.stringify({ count: IN_FLIGHT, prefix: 'bench_' }),
});
if (!seeded.ok) throw new Error(`seed failed: ${seeded.status}`);
const ids = [];
const vivamo = new Vivamo({ apiKey: KEY, environment: 'sandbox', baseUrl });
for await (const c of vivamo.customers.listAll({ size: 100 })) ids.push(c.externalCustomerId);

const viaVivamo = (id) => vivamo.customers.get(id);
const viaFetch = async (id) => {
  const response = await fetch(`${baseUrl}/v1/customers/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${KEY}`, accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
};

async function measure(get, total, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const customer = await get(ids[i % ids.length]);
      if (!customer.externalCustomerId) throw new Error('bad response');
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - start) / 1000);
}

const results = {};
for (const [name, get] of [['vivamo', viaVivamo], ['fetch', viaFetch]]) {
  await measure(get, 2000, IN_FLIGHT); // warm-up: connections, JIT
  results[`${name}_concurrent_rps`] = await measure(get, REQUESTS, IN_FLIGHT);
  results[`${name}_sequential_rps`] = await measure(get, SEQUENTIAL, 1);
}
results.concurrent_ratio = results.vivamo_concurrent_rps / results.fetch_concurrent_rps;
results.sequential_ratio = results.vivamo_sequential_rps / results.fetch_sequential_rps;

const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`get, ${IN_FLIGHT} in flight: vivamo ${fmt(results.vivamo_concurrent_rps)}/s, fetch ${fmt(results.fetch_concurrent_rps)}/s (x${results.concurrent_ratio.toFixed(2)})`);
console.log(`get, sequential:    vivamo ${fmt(results.vivamo_sequential_rps)}/s, fetch ${fmt(results.fetch_sequential_rps)}/s (x${results.sequential_ratio.toFixed(2)})`);
if (args.includes('--json')) console.log(JSON.stringify(results));

sandbox.kill('SIGTERM');
await once(sandbox, 'exit');
