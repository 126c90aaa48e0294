// Type-checked by `cargo xtask test-node` with `tsc --noEmit --strict` against the installed
// package: the declarations must describe the API as documented. Never executed.
import {
  Vivamo,
  VivamoError,
  APIError,
  APIConnectionError,
  APITimeoutError,
  BadRequestError,
  CustomerAlreadyExistsError,
  RateLimitError,
  NotFoundError,
  ValidationError,
  ConfigError,
  APIUserAbortError,
  normalizePhone,
  validateCustomer,
  type Customer,
  type APIPromise,
  type APIResponse,
  type Created,
  type Ensured,
  type Page,
  type ErrorKind,
  type RequestEvent,
  type ResponseEvent,
  type Violation,
  type RequestOptions,
  type CallOptions,
  type AbortSignalLike,
  type KycInfo,
  type KycStatus,
  type WebhookEvent,
  type Webhook,
  type RegisteredWebhook,
  type WebhookEventType,
  type WebhookStatus,
  ConflictError,
  KycNotUnderReviewError,
  KycNotAttemptedError,
  WebhookSignatureError,
  webhooks,
  type LogLevel,
  type Logger,
  type RawRequestInit,
} from 'vivamo';

// An AbortController's signal (declared here: the type test compiles without the DOM lib).
declare const controller: { signal: AbortSignalLike; abort(): void };

export async function requestOptions(vivamo: Vivamo): Promise<void> {
  const options: RequestOptions = { timeoutMs: 2_000, deadlineMs: 2_000, maxRetries: 0, headers: { 'x-team': 'checkout' } };
  const checkout: Vivamo = vivamo.withOptions(options);
  const call: CallOptions = { ...options, signal: controller.signal };
  const customer: Customer = await checkout.customers.get('user_123', call);
  const requestId: string | undefined = customer._request_id;
  const created: Created = await vivamo.customers.create({ externalCustomerId: 'u', data: { email: 'u@example.com' } }, { maxRetries: 0 });
  const page: Page = await vivamo.customers.list({ size: 5 }, { deadlineMs: 1_000 });
  const tiered = new Vivamo({ proxy: 'http://proxy.internal:3128', caBundle: '/etc/ssl/root.pem', maxIdleConnections: 4 });
  const level: LogLevel = 'info';
  const logger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
  const logged = new Vivamo({ logLevel: level, logger });
  const info: KycInfo = await logged.customers.kycInfo('user_123', call);
  const review: Customer[] = await logged.customers.kycForReview({ maxRetries: 0 });
  const message: string = await logged.customers.approveKyc('user_123', 'proof_of_id', { signal: controller.signal });
  await logged.customers.rejectKyc('user_123', undefined, { headers: { 'x-a': 'b' } });
  const extra: Customer = await vivamo.customers.update('user_123', { city: 'Boston' }, { extraBody: { data: { nickname: 'Jo' }, note: null } });
  void extra;
  void [info._request_id, review, message];
  try {
    await vivamo.customers.get('u', { signal: controller.signal });
  } catch (err) {
    if (err instanceof APIUserAbortError) {
      const kind: 'abort' | string = err.kind;
      void kind;
    }
  }
  void [requestId, created._request_id, page._request_id, tiered];
}

export async function usage(apiKey: string, baseUrl: string): Promise<void> {
  const vivamo = new Vivamo({
    apiKey,
    environment: 'sandbox',
    baseUrl,
    timeoutMs: 10_000,
    deadlineMs: 30_000,
    maxRetries: 2,
    validation: 'warn',
  });
  const fromEnv: Vivamo = new Vivamo();
  const env: 'production' | 'sandbox' = fromEnv.environment;

  const created: Created = await vivamo.customers.create({
    externalCustomerId: 'user_123',
    data: { email: 'jane@example.com', phone: '4155552671' },
    verifyAfterCreation: false,
  });
  const warnings: string[] = created.warnings;
  const link: string | undefined = created.verificationLinks?.verificationLink;

  const c: Customer = await vivamo.customers.get('user_123');
  const email: string = c.data.email;
  const phone: string | undefined = c.data.phone;
  const createdAt: string | undefined = c.createdAt;
  const kycStatus: string | undefined = c.kycVerifications[0]?.status;

  const updated: Customer = await vivamo.customers.update('user_123', { city: 'Boston' });
  const page: Page = await vivamo.customers.list({ page: 1, size: 50 });
  const n: number = page.total + page.page + page.limit + page.totalPages + page.customers.length;

  for await (const customer of vivamo.customers.listAll({ size: 100 })) {
    const id: string = customer.externalCustomerId;
    void id;
  }

  const ensured: Ensured = await vivamo.customers.ensure({
    externalCustomerId: 'user_123',
    data: { email: 'jane@example.com' },
  });
  const { customer, created: wasCreated } = ensured;
  const flag: boolean = wasCreated;

  const e164: string = normalizePhone('(415) 555-2671');
  const report = validateCustomer({ email, phone }, { environment: 'production' });
  const normalizedEmail: string | undefined = report.normalized.data.email;
  const firstError: Violation | undefined = report.errors[0];
  const body = validateCustomer(
    { externalCustomerId: 'u1', data: { email } },
    { environment: 'sandbox', operation: 'create' },
  );
  const id: string | undefined = body.normalized.externalCustomerId;

  try {
    await vivamo.customers.get('nobody');
  } catch (err) {
    if (err instanceof NotFoundError) {
      const kind: ErrorKind = err.kind;
      // An APIError: Vivamo answered, so the status and headers are there.
      const status: number = err.status;
      const headers: Record<string, string> = err.headers;
      const requestId: string | null = err.requestId;
      void [kind, status, headers, requestId];
    } else if (err instanceof RateLimitError) {
      const wait: number | null = err.retryAfter;
      const api: APIError = err;
      void [wait, api];
    } else if (err instanceof CustomerAlreadyExistsError) {
      const bad: BadRequestError = err;
      void bad;
    } else if (err instanceof APITimeoutError) {
      const connection: APIConnectionError = err;
      const noStatus: number | null = connection.status;
      const noHeaders: Record<string, string> | null = connection.headers;
      void [noStatus, noHeaders];
    } else if (err instanceof ValidationError) {
      const fields: string[] = err.violations.map((v) => v.field);
      void fields;
    } else if (err instanceof ConfigError || err instanceof VivamoError) {
      const errors: Array<Record<string, string>> = err.errors;
      void errors;
    }
  }

  void [env, warnings, link, phone, createdAt, kycStatus, updated, n, customer, flag, e164];
  void [normalizedEmail, firstError, id];
}

// @ts-expect-error: environment is 'production' | 'sandbox'
new Vivamo({ environment: 'staging' });
// @ts-expect-error: headers are strings
void new Vivamo().withOptions({ headers: { 'x-n': 1 } });
// @ts-expect-error: extraBody is an object of fields
void new Vivamo().withOptions({ extraBody: ['nickname'] });
// @ts-expect-error: get takes the id as a string
void new Vivamo().customers.get(42);

export async function kycAndWebhooks(
  vivamo: Vivamo,
  rawBody: Uint8Array,
  rawText: string,
  header: string,
): Promise<void> {
  const info: KycInfo = await vivamo.customers.kycInfo('user_123');
  const status: KycStatus | undefined = info.kycVerification?.status;
  const secret: string | undefined = info.kycVerification?.clientSecretKey;
  const queue: Customer[] = await vivamo.customers.kycForReview();
  const approved: string = await vivamo.customers.approveKyc('user_123');
  const rejected: string = await vivamo.customers.rejectKyc('user_123', 'proof_of_id');
  try {
    await vivamo.customers.approveKyc('user_123');
  } catch (err) {
    if (err instanceof KycNotUnderReviewError || err instanceof KycNotAttemptedError) {
      const kind: ErrorKind = err.kind;
      void kind;
    }
  }
  webhooks.verify(rawBody, header, 'whsec_test');
  webhooks.verify(rawText, header, 'whsec_test');
  const signature: string = webhooks.sign(rawBody, 'whsec_test');
  const event: WebhookEvent = webhooks.parse(rawBody, signature, 'whsec_test');
  if (event.type === 'payment_result') {
    const amount: string = event.payment.amount;
    void amount;
  }
  try {
    webhooks.verify('{}', 'bad', 'whsec_test');
  } catch (err) {
    if (err instanceof WebhookSignatureError) {
      const e: VivamoError = err;
      void e;
    }
  }
  void [status, secret, queue, approved, rejected];
}

// @ts-expect-error: webhooks.verify needs the secret
webhooks.verify('{}', 'abc');

// vivamo/testing: the sandbox shipped in the package.
import { Sandbox, type SandboxOptions, type SeedResult } from 'vivamo/testing';

export async function testingUsage(): Promise<void> {
  const options: SandboxOptions = {
    mode: 'production',
    apiKeys: ['sk_a', 'sk_b'],
    failRate: 0,
    lostResponseRate: 0,
    latencyMs: 0,
    rateLimit: 10,
    seed: 7,
  };
  const sandbox: Sandbox = await Sandbox.start(options);
  const url: string = sandbox.url;
  const key: string = sandbox.apiKey;
  const keys: string[] = sandbox.apiKeys;
  const mode: 'test' | 'production' = sandbox.mode;
  const client: Vivamo = sandbox.client({ maxRetries: 0 });
  const removed: number = sandbox.reset();
  const seeded: SeedResult = sandbox.seed(10, { prefix: 's_', apiKey: 'sk_b' });
  const first: string | undefined | null = seeded.firstExternalCustomerId;
  const customer: Customer = sandbox.setKyc('s_1', 'under_review', { type: 'proof_of_id', attempted: false, expireSecret: false, apiKey: 'sk_b' });
  const other: Customer = sandbox.setKyc('s_2', 'escalated');
  await sandbox.stop();
  const plain: Sandbox = await Sandbox.start();
  void [url, key, keys, mode, client, removed, first, customer, other, plain];
}

// @ts-expect-error: a sandbox is started with Sandbox.start, not constructed
new Sandbox();

export async function anyEndpoint(vivamo: Vivamo): Promise<void> {
  const init: RawRequestInit = { method: 'GET', path: '/v1/customers', query: { page: 1, size: 50, deleted: false } };
  const page = await vivamo.request<{ total: number; customers: Customer[] }>(init, { timeoutMs: 5_000 });
  const total: number = page.total;
  const raw: unknown = await vivamo.request({ method: 'POST', path: '/v1/customers', body: { externalCustomerId: 'u1' }, idempotent: false });
  void [total, raw];
  // @ts-expect-error: the path is required
  await vivamo.request({ method: 'GET' });
}

export async function rawResponses(vivamo: Vivamo): Promise<void> {
  const pending: APIPromise<Customer> = vivamo.customers.get('u1');
  const asPromise: Promise<Customer> = pending;
  const { data, response }: { data: Customer; response: APIResponse } = await vivamo.customers.get('u1').withResponse();
  const status: number = response.status;
  const id: string | null = response.requestId;
  const header: string | null = response.headers.get('x-request-id');
  const retries: number = (await vivamo.customers.kycForReview().asResponse()).retriesTaken;
  const message: string = (await vivamo.customers.approveKyc('u1').withResponse()).data;
  const elapsed: number = (await vivamo.request({ method: 'GET', path: '/v1/customers' }).asResponse()).elapsedMs;
  void [asPromise, data, status, id, header, retries, message, elapsed];
  // @ts-expect-error: the data of get is a Customer, not a string
  const wrong: string = (await vivamo.customers.get('u1').withResponse()).data;
  void wrong;
}

export function eventHooks(): Vivamo {
  return new Vivamo({
    onRequest: (e: RequestEvent) => { const where: string = `${e.method} ${e.path} #${e.attempt}`; void where; },
    onResponse: (e: ResponseEvent) => {
      const status: number | undefined = e.status;
      const kind: ErrorKind | undefined = e.error;
      void [status, kind, e.elapsedMs, e.requestId];
    },
  });
}

export async function webhookEndpoints(vivamo: Vivamo): Promise<void> {
  const hook: RegisteredWebhook = await vivamo.webhooks.register({
    url: 'https://example.com/hooks',
    headers: { 'x-pre-shared-key': 'psk' },
  });
  const secret: string = hook.secretKey;
  const updated: Webhook = await vivamo.webhooks.update(hook.id, {
    status: 'inactive',
    eventTypes: ['kyc_verification'],
  });
  const status: WebhookStatus | string = updated.status;
  const types: Array<WebhookEventType | string> = updated.eventTypes;
  const listed: Webhook[] = await vivamo.webhooks.list();
  const { data, response } = await vivamo.webhooks.list().withResponse();
  const message: string = await vivamo.webhooks.delete(hook.id);
  try {
    await vivamo.webhooks.register({ url: 'https://example.com/hooks' });
  } catch (err) {
    if (err instanceof ConflictError) void err.status;
  }
  // @ts-expect-error: a status is 'active' or 'inactive'
  await vivamo.webhooks.update(hook.id, { status: 'paused' });
  // @ts-expect-error: register takes an object with the url
  await vivamo.webhooks.register('https://example.com/hooks');
  void [secret, status, types, listed, data, response.status, message];
}
