// The installed package as users get it: both module systems, and the README's quickstart.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import * as esm from 'vivamo';

import { startSandbox } from './helpers.mjs';

const run = promisify(execFile);

describe('package', () => {
  test('require and import give the same objects', () => {
    const cjs = createRequire(import.meta.url)('vivamo');
    const names = [
      'Vivamo', 'normalizePhone', 'validateCustomer', 'VivamoError', 'ValidationError',
      'CustomerAlreadyExistsError', 'EmailAlreadyInUseError', 'EmailDomainNotSupportedError',
      'PhoneNotMobileError', 'BadRequestError', 'PermissionDeniedError', 'NotFoundError',
      'RateLimitError', 'InternalServerError', 'APITimeoutError', 'APIConnectionError',
      'DecodeError', 'ConfigError', 'APIError', 'APIUserAbortError', 'KycNotUnderReviewError',
      'KycNotAttemptedError', 'WebhookSignatureError',
    ];
    for (const name of names) {
      assert.equal(typeof esm[name], 'function', name);
      assert.equal(esm[name], cjs[name], name);
    }
  });

  test('the addon comes from the platform package npm picked, at the same version', () => {
    const require = createRequire(import.meta.url);
    const main = require('vivamo/package.json');
    let platform = `${process.platform}-${process.arch}`;
    if (process.platform === 'linux') {
      platform += process.report.getReport().header.glibcVersionRuntime ? '-gnu' : '-musl';
    } else if (process.platform === 'win32') {
      platform += '-msvc';
    }
    assert.equal(main.optionalDependencies[`vivamo-${platform}`], main.version);
    assert.equal(require(`vivamo-${platform}/package.json`).version, main.version);
    const mainFiles = readdirSync(dirname(require.resolve('vivamo/package.json')));
    assert.deepEqual(mainFiles.filter((f) => f.endsWith('.node')), []);
    assert.ok(mainFiles.includes('LICENSE-MIT') && mainFiles.includes('LICENSE-APACHE'));
  });

  test('require works from a CommonJS script', async () => {
    const { stdout } = await run(process.execPath, [
      '-e',
      "const v = require('vivamo'); console.log(typeof v.Vivamo, new v.NotFoundError({ kind: 'not_found', message: 'm' }) instanceof v.VivamoError)",
    ]);
    assert.equal(stdout.trim(), 'function true');
  });

  describe('examples/quickstart.mjs', () => {
    let sandbox;
    before(async () => {
      sandbox = await startSandbox();
    });
    after(() => sandbox.stop());

    test('runs against the sandbox', async () => {
      const script = fileURLToPath(new URL('../examples/quickstart.mjs', import.meta.url));
      const { stdout } = await run(process.execPath, [script], {
        env: { ...process.env, VIVAMO_BASE_URL: sandbox.url, VIVAMO_API_KEY: sandbox.key },
      });
      assert.match(stdout, /\+14155552671/);
      assert.match(stdout, /Boston/);
      const vivamo = sandbox.client();
      assert.equal((await vivamo.customers.get('user_123')).data.city, 'Boston');
    });

    test('with no options, the client is configured from VIVAMO_* variables', async () => {
      const { stdout } = await run(process.execPath, [
        '-e',
        "const { Vivamo } = require('vivamo'); new Vivamo().customers.get('user_123').then((c) => console.log(c.data.city))",
      ], {
        env: {
          ...process.env,
          VIVAMO_BASE_URL: sandbox.url,
          VIVAMO_API_KEY: sandbox.key,
          VIVAMO_ENVIRONMENT: 'sandbox',
        },
      });
      assert.equal(stdout.trim(), 'Boston');
    });
  });
});
