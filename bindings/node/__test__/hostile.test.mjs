// A hostile server: one case of each kind the Rust suite (crates/vivamo/tests/hostile.rs)
// covers, through the package. Each is a typed error or a correct result, never a crash or a
// call that does not end.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';

import {
  APIConnectionError,
  APITimeoutError,
  DecodeError,
  RateLimitError,
  Vivamo,
  VivamoError,
} from 'vivamo';

import { KEY, rejection } from './helpers.mjs';

const CUSTOMER =
  '{"externalCustomerId":"u1","data":{"email":"jane@example.com"},"createdAt":"2024-01-01T00:00:00Z"}';

/** A head with a correct content-length for `body` (a Buffer), plus extra header lines. */
function http(status, body, extra = '', length = body.length) {
  const head =
    `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n` +
    `connection: close\r\n${extra}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** Replies by the request path's last segment (`/v1/customers/<case>`). */
const cases = {
  retryafter: () => http('429 Too Many Requests', Buffer.from('{"message":"slow down"}'), 'retry-after: 99999999999999999999\r\n'),
  nested: () => http('200 OK', Buffer.from('['.repeat(100_000) + ']'.repeat(100_000))),
  utf8: () =>
    http('200 OK', Buffer.concat([Buffer.from('{"externalCustomerId":"u'), Buffer.from([0xff, 0xfe]), Buffer.from('","data":{"email":"a@b.co"}}')])),
  bigheader: () => http('200 OK', Buffer.from(CUSTOMER), `x-junk: ${'9'.repeat(1 << 20)}\r\n`),
  longer: () => http('200 OK', Buffer.from(CUSTOMER), '', CUSTOMER.length + 1000),
  shorter: () => http('200 OK', Buffer.from(CUSTOMER), '', CUSTOMER.length >> 1),
  ok: () => http('200 OK', Buffer.from(CUSTOMER)),
  oddheaders: () =>
    Buffer.concat([
      http('200 OK', Buffer.from(CUSTOMER), 'x-multi: a\r\nx-multi: b\r\nx-empty:\r\n').subarray(0, -CUSTOMER.length - 2),
      Buffer.from('x-bytes: caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('\r\n\r\n' + CUSTOMER),
    ]),
  customers: () =>
    http(
      '200 OK',
      Buffer.from(`{"customers":[${CUSTOMER}],"total":1000000000000,"page":1,"limit":1,"totalPages":1000000000000}`),
    ),
};

describe('hostile server', () => {
  let server;
  let url;
  before(async () => {
    server = net.createServer((socket) => {
      let head = '';
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        const name = (head.split(' ')[1] ?? '').split('?')[0].split('/').pop();
        if (name === 'drip') {
          const body = Buffer.from(CUSTOMER);
          socket.write(http('200 OK', Buffer.alloc(0), '', body.length));
          let i = 0;
          const timer = setInterval(() => {
            if (i >= body.length || socket.destroyed) return clearInterval(timer);
            socket.write(body.subarray(i, i + 1));
            i += 1;
          }, 1000);
          socket.on('close', () => clearInterval(timer));
          return;
        }
        socket.end((cases[name] ?? cases.shorter)());
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => {
    server.closeAllConnections?.();
    return new Promise((resolve) => server.close(resolve));
  });

  const client = (options = {}) =>
    new Vivamo({ apiKey: KEY, environment: 'sandbox', baseUrl: url, maxRetries: 0, timeoutMs: 2000, deadlineMs: 5000, ...options });

  test('Retry-After: 99999999999999999999 is a RateLimitError, not a crash', async () => {
    const started = Date.now();
    const e = await rejection(client({ maxRetries: 1 }).customers.get('retryafter'));
    assert.ok(e instanceof RateLimitError, String(e));
    assert.ok(Date.now() - started < 5000);
  });

  test('the same page forever with totalPages 10^12: listAll ends', async () => {
    const ids = [];
    for await (const c of client().customers.listAll({ size: 1 })) ids.push(c.externalCustomerId);
    assert.deepEqual(ids, ['u1']);
  });

  test('a body dripped a byte a second is an APITimeoutError', async () => {
    const started = Date.now();
    const e = await rejection(client().customers.get('drip'));
    assert.ok(e instanceof APITimeoutError, String(e));
    assert.ok(Date.now() - started < 10_000);
  });

  test('arrays nested 100k deep are a DecodeError', async () => {
    const e = await rejection(client().customers.get('nested'));
    assert.ok(e instanceof DecodeError, String(e));
  });

  test('invalid UTF-8 is a DecodeError', async () => {
    const e = await rejection(client().customers.get('utf8'));
    assert.ok(e instanceof DecodeError, String(e));
  });

  test('a 1 MB header line is an APIConnectionError', async () => {
    const e = await rejection(client().customers.get('bigheader'));
    assert.ok(e instanceof APIConnectionError, String(e));
    assert.ok(e.message.length < 2000);
  });

  test('a Content-Length longer than the body is a typed error', async () => {
    const e = await rejection(client().customers.get('longer'));
    assert.ok(e instanceof APIConnectionError || e instanceof DecodeError, String(e));
  });

  test('a Content-Length shorter than the body is a DecodeError', async () => {
    const e = await rejection(client().customers.get('shorter'));
    assert.ok(e instanceof DecodeError, String(e));
  });

  test('header values that are not UTF-8, repeated or empty reach withResponse() as Fetch reads them', async () => {
    const { data, response } = await client().customers.get('oddheaders').withResponse();
    assert.equal(data.externalCustomerId, 'u1');
    // Latin-1 per byte (Fetch's isomorphic decoding): 0xE9 0xFF are é ÿ, never a throw.
    assert.equal(response.headers.get('x-bytes'), 'caf\u00e9\u00ff');
    assert.equal(response.headers.get('x-multi'), 'a, b');
    assert.equal(response.headers.get('x-empty'), '');
    assert.equal(response.headers.get('content-type'), 'application/json');
  });

  test('afterwards the process and the client are fine', async () => {
    const e = await rejection(client().customers.get('nested'));
    assert.ok(e instanceof VivamoError);
    // A well-formed answer still comes through.
    const customer = await client().customers.get('ok');
    assert.equal(customer.externalCustomerId, 'u1');
    assert.equal(customer.data.email, 'jane@example.com');
  });
});
