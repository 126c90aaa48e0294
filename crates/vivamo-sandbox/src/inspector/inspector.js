// The sandbox inspector. Everything shown comes from API callers, so it is untrusted: it is
// only ever put into the page as text (textContent), never as markup.
'use strict';

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    if (c instanceof Node) td.append(c); else td.textContent = c === null || c === undefined ? '' : String(c);
    tr.append(td);
  }
  return tr;
}

async function getJson(path) {
  const r = await fetch(path, { cache: 'no-store' });
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}

async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) {
    const text = await r.text();
    $('live').textContent = path + ': HTTP ' + r.status + ' ' + text;
  }
  return r;
}

function button(label, onClick) {
  const b = el('button', label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

async function customers() {
  const { customers } = await getJson('/__sandbox/inspector/customers');
  const body = $('customers');
  body.replaceChildren(...customers.map((c) => {
    const kyc = c.kycVerifications && c.kycVerifications.length ? c.kycVerifications[c.kycVerifications.length - 1].status : 'none';
    const path = '/__sandbox/inspector/customers/' + c.operator + '/' + encodeURIComponent(c.externalCustomerId) + '/kyc';
    const actions = el('span');
    actions.append(
      button('under review', () => post(path, { status: 'under_review' })),
      button('approve', () => post(path, { decision: 'approve' })),
      button('reject', () => post(path, { decision: 'reject' })),
    );
    const name = [c.data.firstName, c.data.lastName].filter(Boolean).join(' ');
    const tr = row([c.operator, c.externalCustomerId, c.data.email, name, kyc, actions]);
    tr.dataset.id = c.externalCustomerId;
    tr.cells[4].className = 'kyc';
    return tr;
  }));
}

async function requests() {
  const { requests } = await getJson('/__sandbox/requests');
  $('requests').replaceChildren(...requests.slice().reverse().map((r) => {
    const tr = row([r.method, r.path, r.status, r.latencyMs === null ? '' : r.latencyMs + ' ms', r.fault, r.requestId]);
    if (r.status >= 500) tr.cells[2].className = 's5';
    return tr;
  }));
}

async function webhooks() {
  const [{ webhooks }, { deliveries }] = await Promise.all([
    getJson('/__sandbox/inspector/webhooks'),
    getJson('/__sandbox/webhooks/deliveries'),
  ]);
  $('webhooks').replaceChildren(...webhooks.map((w) => row([w.operator, w._id, w.url, w.status, w.eventTypes.length ? w.eventTypes.join(', ') : 'all'])));
  $('deliveries').replaceChildren(...deliveries.slice().reverse().map((d) => {
    const list = el('ol');
    for (const a of d.attempts) list.append(el('li', a.at + ' ' + (a.status === null ? '-' : a.status) + ' ' + a.latencyMs + ' ms' + (a.error ? ' ' + a.error : '')));
    const resend = button('resend', () => post('/__sandbox/webhooks/deliveries/' + encodeURIComponent(d.id) + '/resend', {}));
    return row([d.eventType + (d.duplicate ? ' (duplicate)' : ''), d.webhookId, d.state, list, d.nextAttemptAt, resend]);
  }));
}

async function faults() {
  const f = await getJson('/__sandbox/faults');
  const form = $('faults');
  for (const name of ['failRate', 'lostResponseRate', 'latencyMs', 'rateLimit']) {
    if (document.activeElement !== form.elements[name]) form.elements[name].value = f[name];
  }
}

const refresh = { customers, requests, webhooks, faults };
const pending = new Set();

function schedule(topic) {
  if (pending.has(topic)) return;
  pending.add(topic);
  setTimeout(() => {
    pending.delete(topic);
    refresh[topic]().catch((e) => { $('live').textContent = String(e.message); });
  }, 50);
}

function connect() {
  const source = new EventSource('/__sandbox/events');
  source.onopen = () => { $('live').textContent = 'live'; Object.keys(refresh).forEach(schedule); };
  source.onerror = () => { $('live').textContent = 'reconnecting…'; };
  for (const topic of Object.keys(refresh)) source.addEventListener(topic, () => schedule(topic));
  source.addEventListener('all', () => Object.keys(refresh).forEach(schedule));
}

document.addEventListener('DOMContentLoaded', async () => {
  $('faults').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const body = {};
    for (const name of ['failRate', 'lostResponseRate', 'latencyMs', 'rateLimit']) body[name] = Number(form.elements[name].value);
    post('/__sandbox/faults', body);
  });
  try {
    const health = await getJson('/__sandbox/health');
    $('mode').textContent = health.mode + ' mode';
  } catch (e) {
    $('live').textContent = String(e.message);
  }
  connect();
});
