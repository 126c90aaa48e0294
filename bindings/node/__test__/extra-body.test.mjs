// Extra body fields (`extraBody`): JSON the SDK does not know yet, sent as given on create and
// update; the sandbox's request log shows each body as it arrived. An unknown key in the typed
// `data` is a ValidationError naming it and pointing to `extraBody`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BadRequestError, ValidationError } from 'vivamo';

import { rejection, requestLog, startSandbox } from './helpers.mjs';

/** The logged bodies of the requests to `method path`, oldest first. */
async function bodies(url, method, path) {
  return (await requestLog(url)).filter((r) => r.method === method && r.path === path).map((r) => r.body);
}

describe('extraBody', () => {
  let sb;
  before(async () => { sb = await startSandbox(); });
  after(async () => { await sb.stop(); });

  test('create and update send the extra fields verbatim, inside data and beside it', async () => {
    const vivamo = sb.client();
    const created = await vivamo.customers.create(
      { externalCustomerId: 'xb_node_1', data: { email: 'xbn1@example.com', firstName: 'Jo' } },
      { extraBody: { data: { nickname: 'Jojo', preferences: { sms: false, channels: ['email', null] } }, campaign: 42.5 } },
    );
    assert.equal(created.customer.externalCustomerId, 'xb_node_1');
    const [sent] = await bodies(sb.url, 'POST', '/v1/customers');
    assert.deepEqual(sent, {
      externalCustomerId: 'xb_node_1',
      verifyAfterCreation: sent.verifyAfterCreation,
      data: {
        email: 'xbn1@example.com',
        firstName: 'Jo',
        nickname: 'Jojo',
        preferences: { sms: false, channels: ['email', null] },
      },
      campaign: 42.5,
    });

    const updated = await vivamo.customers.update('xb_node_1', { city: 'Boston' }, { extraBody: { data: { nickname: 'J' }, note: null } });
    assert.equal(updated.data.city, 'Boston');
    assert.deepEqual(await bodies(sb.url, 'PATCH', '/v1/customers/xb_node_1'), [
      { data: { city: 'Boston', nickname: 'J' }, note: null },
    ]);

    // Not validated by the SDK: the API's own refusal of a null on update is the answer.
    const err = await rejection(vivamo.customers.update('xb_node_1', { city: 'Austin' }, { extraBody: { data: { lastName: null } } }));
    assert.ok(err instanceof BadRequestError, String(err));
    assert.deepEqual((await bodies(sb.url, 'PATCH', '/v1/customers/xb_node_1'))[1], { data: { city: 'Austin', lastName: null } });
  });

  test('withOptions fields merge with each call\'s, a call\'s value winning', async () => {
    const base = sb.client();
    const tagged = base.withOptions({ extraBody: { data: { source: 'crm', tier: 'silver' } } });
    await tagged.customers.create(
      { externalCustomerId: 'xb_node_2', data: { email: 'xbn2@example.com' } },
      { extraBody: { data: { tier: 'gold' } } },
    );
    await base.customers.create({ externalCustomerId: 'xb_node_3', data: { email: 'xbn3@example.com' } });
    const sent = await bodies(sb.url, 'POST', '/v1/customers');
    const byId = Object.fromEntries(sent.map((b) => [b.externalCustomerId, b.data]));
    assert.deepEqual(byId.xb_node_2, { email: 'xbn2@example.com', source: 'crm', tier: 'gold' });
    assert.deepEqual(byId.xb_node_3, { email: 'xbn3@example.com' });
  });

  test('an extraBody that is not an object is a ValidationError naming extraBody, before sending', async () => {
    const vivamo = sb.client();
    const before = (await requestLog(sb.url)).length;
    for (const bad of [['x'], 'data', 3]) {
      const err = await rejection(vivamo.customers.get('xb_node_1', { extraBody: bad }));
      assert.ok(err instanceof ValidationError, String(err));
      assert.match(err.message, /extraBody must be an object/);
    }
    assert.throws(() => vivamo.withOptions({ extraBody: ['x'] }), ValidationError);
    assert.equal((await requestLog(sb.url)).length, before);
  });

  test('an unknown key in typed data names the key and points to extraBody', async () => {
    const vivamo = sb.client();
    const before = (await requestLog(sb.url)).length;
    for (const call of [
      () => vivamo.customers.create({ externalCustomerId: 'xb_node_4', data: { email: 'xbn4@example.com', nickname: 'Jo' } }),
      () => vivamo.customers.update('xb_node_1', { nickname: 'Jo' }),
    ]) {
      let err;
      try {
        await call();
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof ValidationError, String(err));
      assert.equal(err.violations[0].field, 'data.nickname');
      assert.match(err.violations[0].message, /^unknown customer field "nickname"/);
      assert.match(err.message, /extra-body option/);
      assert.ok(err.message.includes('Node `{ extraBody: { data: { "nickname": … } } }`'), err.message);
    }
    assert.equal((await requestLog(sb.url)).length, before, 'nothing was sent');
  });
});
