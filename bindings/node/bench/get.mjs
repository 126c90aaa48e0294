// Throughput of `customers.get` through vivamo versus the same calls with Node's own fetch,
// 64 in flight and sequentially, alternating rounds (A B A B …) after a warm-up.
//
//   node bench/get.mjs                     # starts its own sandbox (VIVAMO_SANDBOX_BIN, release)
//   VIVAMO_BASE_URL=… VIVAMO_API_KEY=… node bench/get.mjs   # as `cargo xtask bench` runs it
//
// VIVAMO_BENCH_QUICK=1 runs briefly. The last line is a JSON object for `cargo xtask bench`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

import { Vivamo } from '../index.mjs';

const QUICK = Boolean(process.env.VIVAMO_BENCH_QUICK);
const ROUNDS = QUICK ? 2 : 7;
const CONCURRENT = QUICK ? 2000 : 10000;
const SEQUENTIAL = QUICK ? 300 : 2000;
const IN_FLIGHT = 64;

let sandbox = null;
let baseUrl = process.env.VIVAMO_BASE_URL;
let key = process.env.VIVAMO_API_KEY;
if (!baseUrl || !key) {
  const bin = process.env.VIVAMO_SANDBOX_BIN;
  if (!bin) throw new Error('set VIVAMO_BASE_URL and VIVAMO_API_KEY, or VIVAMO_SANDBOX_BIN');
  key = 'sk_test_vivamo_sandbox';
  sandbox = spawn(bin, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: sandbox.stdout });
  const [first] = await once(lines, 'line');
  baseUrl = /listening on (\S+)/.exec(first)[1];
  lines.on('line', () => {});
}

const vivamo = new Vivamo({ apiKey: key, environment: 'sandbox', baseUrl });
const id = process.env.VIVAMO_BENCH_ID ?? 'bench_user';
try {
  await vivamo.customers.create({ externalCustomerId: id, data: { email: 'bench@example.com', phone: '4155552671' } });
} catch (err) {
  if (err.kind !== 'customer_already_exists') throw err;
}

const url = `${baseUrl}/v1/customers/${encodeURIComponent(id)}`;
const headers = { authorization: `Bearer ${key}`, accept: 'application/json' };
const viaVivamo = () => vivamo.customers.get(id);
const viaFetch = async () => {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
};

async function rate(get, total, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      const customer = await get();
      if (customer.externalCustomerId !== id) throw new Error('bad response');
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - start) / 1000);
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};

async function pair(total, concurrency) {
  await rate(viaVivamo, Math.min(total, 1000), concurrency); // warm-up: connections, JIT
  await rate(viaFetch, Math.min(total, 1000), concurrency);
  const a = [];
  const b = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(await rate(viaVivamo, total, concurrency));
    b.push(await rate(viaFetch, total, concurrency));
  }
  return { a: stats(a), b: stats(b), unit: 'req/s' };
}

const result = {
  concurrent: await pair(CONCURRENT, IN_FLIGHT),
  sequential: await pair(SEQUENTIAL, 1),
};
const fmt = (n) => Math.round(n).toLocaleString('en-US');
for (const [name, r] of Object.entries(result)) {
  console.log(`get, ${name}: vivamo ${fmt(r.a.median)}/s, fetch ${fmt(r.b.median)}/s (×${(r.a.median / r.b.median).toFixed(2)})`);
}
console.log(JSON.stringify(result));

if (sandbox) {
  sandbox.kill('SIGTERM');
  await once(sandbox, 'exit');
}
