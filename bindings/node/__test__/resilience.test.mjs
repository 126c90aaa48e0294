// Malformed responses: typed errors, never a crash (panics: hooks/panic.test.mjs).
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';

import { DecodeError, InternalServerError, Vivamo, VivamoError } from 'vivamo';

import { assertKeyAbsent, KEY, rejection } from './helpers.mjs';

/** Raw HTTP responses, by the last path segment of the request. */
const responses = {
  truncated: respond('200 OK', 'application/json', '{"externalCustomerId": "x", "data": {"em'),
  html502: respond('502 Bad Gateway', 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>'),
  empty: respond('200 OK', 'application/json', ''),
  notjson: respond('200 OK', 'application/json', 'hello'),
  wrongshape: respond('200 OK', 'application/json', '{"customers": 3}'),
};
/** A well-formed answer, to show the client still works after the broken ones. */
const okCustomer = respond(
  '200 OK',
  'application/json',
  '{"externalCustomerId": "fine", "data": {"email": "fine@example.com"}, "createdAt": "2024-01-01T00:00:00Z"}',
);

function respond(status, type, body) {
  return (
    `HTTP/1.1 ${status}\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `x-request-id: req_raw\r\nconnection: close\r\n\r\n${body}`
  );
}

describe('malformed responses', () => {
  let server;
  let vivamo;
  before(async () => {
    server = net.createServer((socket) => {
      let head = '';
      socket.on('data', (chunk) => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        const path = head.split(' ')[1] ?? '';
        const name = path.split('?')[0].split('/').pop();
        socket.end(name === 'fine' ? okCustomer : (responses[name] ?? responses.notjson));
      });
      socket.on('error', () => {});
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    vivamo = new Vivamo({
      apiKey: KEY,
      environment: 'sandbox',
      baseUrl: `http://127.0.0.1:${server.address().port}`,
      maxRetries: 0,
    });
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const seen = [];
  after(() => assertKeyAbsent(seen));

  for (const name of ['truncated', 'empty', 'notjson']) {
    test(`${name} JSON with 200 is a DecodeError`, async () => {
      const e = await rejection(vivamo.customers.get(name));
      assert.ok(e instanceof DecodeError, String(e));
      assert.equal(e.kind, 'decode');
      seen.push(e);
    });
  }

  test('a list of the wrong shape is a DecodeError', async () => {
    const e = await rejection(vivamo.customers.list());
    assert.ok(e instanceof DecodeError, String(e));
    seen.push(e);
  });

  test('an HTML 502 is an InternalServerError with its status', async () => {
    const e = await rejection(vivamo.customers.get('html502'));
    assert.ok(e instanceof InternalServerError, String(e));
    assert.equal(e.status, 502);
    assert.equal(e.requestId, 'req_raw');
    seen.push(e);
  });

  test('the process is alive and the client still works afterwards', async () => {
    const results = await Promise.allSettled(
      Object.keys(responses).map((name) => vivamo.customers.get(name)),
    );
    assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof VivamoError));
    // The same client still reads a well-formed answer.
    const customer = await vivamo.customers.get('fine');
    assert.equal(customer.externalCustomerId, 'fine');
    assert.equal(customer.data.email, 'fine@example.com');
  });
});
