// The README's quickstart. Run it against the local sandbox:
//   vivamo-sandbox --port 4010 &
//   VIVAMO_API_KEY=sk_test_vivamo_sandbox VIVAMO_BASE_URL=http://127.0.0.1:4010 node examples/quickstart.mjs
import { NotFoundError, Vivamo } from 'vivamo';

// The key comes from VIVAMO_API_KEY; without VIVAMO_BASE_URL this is Vivamo's own sandbox.
const vivamo = new Vivamo({ environment: 'sandbox' }); // VIVAMO_API_KEY, VIVAMO_BASE_URL

const created = await vivamo.customers.create({
  externalCustomerId: 'user_123',
  data: { email: 'jane@example.com', phone: '(415) 555-2671' },
});
console.log('created', created.customer.externalCustomerId, created.customer.data.phone);
for (const warning of created.warnings) console.warn('warning:', warning);

const moved = await vivamo.customers.update('user_123', { city: 'Boston' });
console.log('moved to', moved.data.city);

const page = await vivamo.customers.list({ page: 1, size: 50 });
console.log(`${page.total} customer(s), page ${page.page} of ${page.totalPages}`);

for await (const customer of vivamo.customers.listAll({ size: 100 })) {
  console.log('-', customer.externalCustomerId, customer.data.email, customer.createdAt);
}

try {
  await vivamo.customers.get('nobody');
} catch (err) {
  if (!(err instanceof NotFoundError)) throw err;
  console.log('no customer nobody:', err.status, err.kind);
}
