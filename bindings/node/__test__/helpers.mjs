// Shared by the suites: spawn the real `vivamo-sandbox` binary and talk to its control routes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { createInterface } from 'node:readline';

import { Vivamo } from 'vivamo';

/** A key distinctive enough that finding it in any error output would be conclusive. */
export const KEY = 'sk_test_node_suite_Zq8x3Lw0';

/**
 * Starts `vivamo-sandbox --port 0` with extra flags; resolves once it printed its URL.
 * @param {string[]} args
 */
export async function startSandbox(args = []) {
  const bin = process.env.VIVAMO_SANDBOX_BIN;
  assert.ok(bin, 'VIVAMO_SANDBOX_BIN must name the vivamo-sandbox binary (cargo xtask test-node sets it)');
  const child = spawn(bin, ['--port', '0', '--api-key', KEY, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.once('line', (line) => {
      const match = /^listening on (http:\/\/\S+)$/.exec(line.trim());
      if (match) resolve(match[1]);
      else reject(new Error(`unexpected first line from the sandbox: ${line}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the sandbox exited early (${code})`)));
  });
  lines.on('line', () => {}); // keep draining stdout
  return {
    url,
    key: KEY,
    /** A client for this sandbox; `options` override the defaults. */
    client(options = {}) {
      return new Vivamo({ apiKey: KEY, environment: 'sandbox', baseUrl: url, ...options });
    },
    /** Creates `count` valid customers through the control route. */
    async seed(count, prefix = 'seed_') {
      const response = await fetch(`${url}/__sandbox/seed`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ count, prefix }),
      });
      assert.equal(response.status, 200, await response.text());
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

/** The rejection of `promise`, failing when it resolves. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail');
}

/** Every error a suite saw, to check that none of them shows the key. */
export function assertKeyAbsent(errors, key = KEY) {
  for (const e of errors) {
    assert.ok(!String(e.message).includes(key), `key in message: ${e.message}`);
    assert.ok(!String(e.stack).includes(key), 'key in stack');
    assert.ok(!JSON.stringify(e).includes(key), 'key in JSON');
  }
}

/** The sandbox's log of its last `/v1` requests (`GET /__sandbox/requests`). */
export async function requestLog(url) {
  const response = await fetch(`${url}/__sandbox/requests`);
  return (await response.json()).requests;
}

/**
 * Polls `check` every 10 ms until it returns a truthy value, which it resolves with; fails
 * after `ceilingMs`, a generous bound that only ends a test that would otherwise hang.
 */
export async function waitFor(what, check, ceilingMs = 30_000) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > ceilingMs) assert.fail(`gave up waiting for ${what} after ${ceilingMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the sandbox at `url` has logged a request to `path` (it is in flight). */
export function inFlight(url, path) {
  return waitFor(`${path} to reach the sandbox`, async () => (await requestLog(url)).find((r) => r.path === path));
}

/**
 * TLS over loopback in front of the sandbox at `upstreamUrl`: the certificate of
 * testdata/tls/connect, signed by its private CA (`ca`), offering `h2` and `http/1.1` by ALPN
 * as Vivamo's front does; the decrypted bytes go to the sandbox, which speaks both versions.
 */
export async function startTlsFront(upstreamUrl) {
  const dir = path.join(process.env.VIVAMO_TESTDATA, 'tls', 'connect');
  const upstream = new URL(upstreamUrl);
  const front = {
    ca: path.join(dir, 'ca.pem'),
    handshakes: 0,
    /** The protocol each connection negotiated by ALPN, in order. */
    protocols: [],
  };
  const server = tls.createServer(
    {
      key: readFileSync(path.join(dir, 'server.key')),
      cert: readFileSync(path.join(dir, 'server.pem')),
      ALPNProtocols: ['h2', 'http/1.1'],
    },
    (socket) => {
      front.handshakes += 1;
      front.protocols.push(socket.alpnProtocol);
      const plain = net.connect(Number(upstream.port), upstream.hostname);
      socket.pipe(plain).pipe(socket);
      const end = () => { socket.destroy(); plain.destroy(); };
      socket.on('error', end);
      plain.on('error', end);
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  front.url = `https://localhost:${server.address().port}`;
  front.close = () => server.close();
  return front;
}

/**
 * A webhook receiver on a loopback port: answers each delivery with the next of `statuses`
 * (200 once they run out) and keeps its body, headers and arrival time.
 * @param {number[]} [statuses]
 */
export async function startReceiver(statuses = []) {
  /** @type {{ body: string, headers: import('node:http').IncomingHttpHeaders, at: number }[]} */
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, at: performance.now() });
      res.writeHead(statuses.shift() ?? 200, { 'content-length': '0' });
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${port}/hooks`, received, close: () => server.close() };
}
