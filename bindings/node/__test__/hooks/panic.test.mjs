// Runs only against an addon built with the `test-hooks` feature (`cargo xtask test-hooks`):
// release addons have no `__panicForTests`, and `cargo xtask dist` checks that.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { VivamoError } from 'vivamo';

import { rejection, startSandbox } from '../helpers.mjs';

const require = createRequire(import.meta.url);
const { toVivamoError } = require('vivamo').__internal;
// The addon itself, from the platform package that npm installed (the loader native.js lists
// only the functions of the build that generated it: dist's has no hook).
const native = Object.keys(require('vivamo/package.json').optionalDependencies)
  .map((name) => {
    try {
      return require(name);
    } catch {
      return null;
    }
  })
  .find(Boolean);

describe('panics', () => {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.stop());

  test('a Rust panic rejects with a VivamoError and the process lives on', async () => {
    assert.ok(native, 'a platform package is installed');
    assert.equal(typeof native.__panicForTests, 'function', 'the addon was built with the test-hooks feature');
    const e = toVivamoError(await rejection(native.__panicForTests()));
    assert.ok(e instanceof VivamoError, String(e));
    assert.equal(e.kind, 'internal');
    assert.match(e.message, /deliberate panic/);
    // The runtime survived: ordinary calls still work.
    const vivamo = sandbox.client();
    await vivamo.customers.create({ externalCustomerId: 'after_panic', data: { email: 'after@example.com' } });
    assert.equal((await vivamo.customers.get('after_panic')).data.email, 'after@example.com');
  });
});
