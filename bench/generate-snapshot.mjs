#!/usr/bin/env node
// Generates realistic V8 heap snapshots of a target file size for the benchmark.
//
//   node bench/generate-snapshot.mjs 100MB 500MB 1.7GB 3GB     (writes bench/out/heap-<size>.heapsnapshot)
//   node bench/generate-snapshot.mjs --out-dir /tmp/snaps 500MB
//   node bench/generate-snapshot.mjs --payload-strings 5 3GB   (string-heavy mix, see below)
//
// How the size is hit: the heap is built from identical "units" (one tenant user with sessions, orders,
// closures, cache entries, ...). The script first writes two small calibration snapshots in child processes
// (file size is linear in the unit count: size = base + slope * units), then builds the real one in a child
// with enough --max-old-space-size. Each snapshot is written under a temporary name and renamed when complete,
// mode 0600 in a 0700 directory (heap data is treated as secret even when synthetic).
//
// The heap is meant to look like a busy server, not a synthetic chain: classes, Maps with string keys,
// arrays of objects and of doubles, closures capturing context, unique and shared strings, cons strings,
// nested plain objects, a few big retainers (an audit log, an LRU map), subgraphs shared by many owners
// (tenants, products, role objects), cycles (user <-> session, a doubly-linked LRU list), WeakMap entries
// (weak edges) and Buffers (native backing stores).
//
// --payload-strings N adds N unique flat ~980-character strings per unit (cached response bodies). Writing a
// snapshot costs V8 about 5.4x the file size in RSS for the default mix (1.8 GB file: 9.7 GB peak), which
// would put a default-mix 3 GB file at ~16 GB on a shared 24 GiB machine; string bytes are much cheaper to
// write, so the 3 GB file is made string-heavy (about 45% of its bytes in strings) instead. V8 cuts snapshot
// strings at 1024 characters (--heap-snapshot-string-limit), hence the 980.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, writeFileSync, openSync, readSync, renameSync, rmSync, statSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const here = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------------------
// The heap (child mode)
// ---------------------------------------------------------------------------------------------------------

const STATUSES = ['new', 'paid', 'shipped', 'delivered', 'refunded'];
const CITIES = ['Lisbon', 'Osaka', 'Austin', 'Nairobi', 'Tallinn', 'Recife', 'Perth', 'Lyon'];

class Tenant {
  constructor(index) {
    this.name = `tenant-${index}`;
    this.config = { maxSessions: 5 + (index % 7), region: CITIES[index % CITIES.length], features: { sso: index % 2 === 0, beta: index % 3 === 0 } };
    this.users = new Map();
    this.createdAt = new Date(1_700_000_000_000 + index * 1000);
  }
}

class Role {
  constructor(name, permissions) {
    this.name = name;
    this.permissions = permissions;
  }
}

class Product {
  constructor(index) {
    this.sku = `SKU-${String(index).padStart(6, '0')}`;
    this.title = `Product number ${index}`;
    this.priceCents = 199 + ((index * 37) % 5000);
    this.tags = ['catalog', index % 2 ? 'even' : 'odd', `cat-${index % 40}`];
  }
}

class User {
  constructor(id, tenant, roles) {
    this.id = `user-${id}`;
    this.tenant = tenant; // shared subgraph: many users -> one tenant
    this.profile = {
      name: `Name${id} Surname${id % 997}`,
      email: `u${id}@example.test`,
      address: { city: CITIES[id % CITIES.length], zip: String(10000 + (id % 89999)), geo: [id * 0.001, -id * 0.002] },
    };
    this.roles = roles; // shared array of shared Role objects
    this.sessions = [];
    this.orders = [];
    this.prefs = new Map([
      ['theme', id % 2 ? 'dark' : 'light'],
      ['lang', id % 3 ? 'en' : 'pt'],
      [`last-view-${id % 50}`, { path: `/items/${id % 1000}`, at: id }],
    ]);
  }
}

class Session {
  constructor(user, seq) {
    this.sid = `s${user.id}-${seq}-${(seq * 2654435761) >>> 0}`;
    this.user = user; // cycle: user.sessions[] -> session -> user
    this.createdAt = 1_700_000_000_000 + seq;
    this.data = { cart: [], csrf: `csrf-${seq}`, flash: null };
    // A closure capturing the session, as request handlers and timers do.
    this.onExpire = () => {
      const list = this.user.sessions;
      list.splice(list.indexOf(this), 1);
    };
  }
}

class LineItem {
  constructor(product, qty) {
    this.product = product; // shared catalog product
    this.qty = qty;
    this.priceEach = product.priceCents / 100; // heap number (double)
  }
}

class Order {
  constructor(user, seq, catalog) {
    this.id = `${user.id}/order-${seq}`; // cons string
    this.user = user;
    this.status = STATUSES[seq % STATUSES.length];
    this.items = [];
    const n = 1 + (seq % 4);
    for (let i = 0; i < n; i++) this.items.push(new LineItem(catalog[(seq * 7 + i * 13) % catalog.length], 1 + (i % 3)));
    this.total = this.items.reduce((sum, item) => sum + item.qty * item.priceEach, 0.5);
  }
}

class CacheEntry {
  constructor(key, value) {
    this.key = key;
    this.value = value;
    this.prev = null;
    this.next = null;
    this.hits = 0;
  }
}

class LruCache {
  constructor() {
    this.map = new Map();
    this.head = null;
    this.tail = null;
  }
  set(key, value) {
    const entry = new CacheEntry(key, value);
    this.map.set(key, entry);
    if (this.tail === null) {
      this.head = this.tail = entry;
    } else {
      entry.prev = this.tail; // cycle: doubly-linked list
      this.tail.next = entry;
      this.tail = entry;
    }
  }
}

class AuditRecord {
  constructor(seq, actor, action) {
    this.seq = seq;
    this.actor = actor;
    this.action = action;
    this.at = 1_700_000_000_000 + seq * 17;
  }
}

class EventBus {
  constructor() {
    this.listeners = new Map();
  }
  on(name, fn) {
    let list = this.listeners.get(name);
    if (list === undefined) this.listeners.set(name, (list = []));
    list.push(fn);
  }
}

/**
 * A unique flat (not concatenated) ~980-character string: V8 writes a flat string's text into the snapshot's
 * string table, a cons string only as "(concatenated string)". Latin-1 decoding of a Buffer yields a flat one.
 */
function uniquePayload(id, k) {
  const buf = Buffer.allocUnsafe(980);
  let x = (id * 31 + k * 7919 + 1) >>> 0;
  const head = `{"id":${id},"part":${k},"body":"`;
  buf.write(head, 0, 'latin1');
  for (let i = head.length; i < buf.length - 2; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    buf[i] = 97 + ((x >>> 16) % 26);
  }
  buf.write('"}', buf.length - 2, 'latin1');
  return buf.toString('latin1');
}

/** Builds `units` units of heap and hangs everything off one global, so it all stays reachable. */
function buildHeap(units, payloadStrings = 0) {
  const catalog = [];
  for (let i = 0; i < Math.max(50, Math.floor(units / 50)); i++) catalog.push(new Product(i));
  const roleSets = [
    [new Role('reader', ['read'])],
    [new Role('writer', ['read', 'write'])],
    [new Role('admin', ['read', 'write', 'delete', 'grant'])],
  ];
  const tenants = [];
  const sessionsById = new Map();
  const lru = new LruCache();
  const auditLog = [];
  const bus = new EventBus();
  const weakMeta = new WeakMap();
  const buffers = [];
  const metricsSeries = [];
  const responseCache = new Map();
  let tenant = null;
  let orders = 0;
  let lineItems = 0;
  let auditRecords = 0;

  for (let id = 0; id < units; id++) {
    if (id % 200 === 0) tenants.push((tenant = new Tenant(tenants.length)));
    const user = new User(id, tenant, roleSets[id % roleSets.length]);
    tenant.users.set(user.id, user);

    const sessionCount = 1 + (id % 3);
    for (let s = 0; s < sessionCount; s++) {
      const session = new Session(user, id * 4 + s);
      user.sessions.push(session);
      sessionsById.set(session.sid, session);
      if (s === 0) bus.on(`expire:${id % 64}`, session.onExpire);
    }

    const orderCount = id % 4;
    for (let o = 0; o < orderCount; o++) {
      const order = new Order(user, id * 5 + o, catalog);
      user.orders.push(order);
      orders++;
      lineItems += order.items.length;
    }
    if (orderCount > 0) user.sessions[0].data.cart.push(user.orders[0].items[0]);

    // Express-session style: the session stored as a JSON string keyed by its id.
    if (id % 5 === 0) lru.set(`sess:${user.sessions[0].sid}`, JSON.stringify({ user: user.id, cookie: { maxAge: 86400000 }, n: id }));
    // Memoised render results: a plain object graph in the cache.
    if (id % 3 === 0) lru.set(`render:${id}`, { html: `<li>${user.profile.name}</li>`, deps: [user.id, tenant.name] });

    if (id % 2 === 0) {
      auditLog.push(new AuditRecord(id, user, id % 7 === 0 ? 'login' : 'view'));
      auditRecords++;
    }
    weakMeta.set(user, { lastSeen: id, tags: ['w', `k${id % 10}`] });
    if (id % 100 === 0) buffers.push(Buffer.alloc(256 + (id % 1024), id % 256));
    if (id % 1000 === 0) metricsSeries.push(new Float64Array(512).fill(id));
    if (payloadStrings > 0) {
      const bodies = [];
      for (let k = 0; k < payloadStrings; k++) bodies.push(uniquePayload(id, k));
      responseCache.set(`GET /users/${id}`, bodies);
    }
  }

  // One big flat array of doubles (a single large node) and one big array of small objects (many edges).
  const bigTable = new Array(Math.min(2_000_000, units)).fill(0).map((_, i) => i * 1.5);
  const recent = sessionsById.size > 0 ? Array.from(sessionsById.values()).filter((_, i) => i % 10 === 0) : [];

  globalThis.__benchHeap = { tenants, sessionsById, lru, auditLog, bus, weakMeta, buffers, metricsSeries, bigTable, recent, catalog, responseCache };
  // Exact live counts per generated class: the benchmark checks every tool against these.
  const expectedCounts = {
    User: units,
    Session: sessionsById.size,
    Order: orders,
    LineItem: lineItems,
    CacheEntry: lru.map.size,
    AuditRecord: auditRecords,
    Tenant: tenants.length,
    Product: catalog.length,
    Role: roleSets.length,
    LruCache: 1,
    EventBus: 1,
  };
  return { expectedCounts };
}

/** Reads node_count / edge_count from the snapshot header (the first few KB of the file). */
export function readSnapshotCounts(path) {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16384);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.toString('utf8', 0, n);
    const nodes = /"node_count":\s*(\d+)/.exec(head);
    const edges = /"edge_count":\s*(\d+)/.exec(head);
    return { nodes: nodes ? Number(nodes[1]) : null, edges: edges ? Number(edges[1]) : null };
  } finally {
    closeSync(fd);
  }
}

function childMain(units, out, payloadStrings) {
  process.umask(0o077);
  const t0 = performance.now();
  const built = buildHeap(units, payloadStrings);
  const buildMs = performance.now() - t0;
  const heapUsedBytes = process.memoryUsage().heapUsed;
  const partial = `${out}.partial`;
  rmSync(partial, { force: true });
  const t1 = performance.now();
  v8.writeHeapSnapshot(partial);
  const writeMs = performance.now() - t1;
  chmodSync(partial, 0o600);
  renameSync(partial, out);
  const result = {
    file: out,
    units,
    payloadStrings,
    ...built,
    heapUsedBytes,
    buildMs: Math.round(buildMs),
    writeMs: Math.round(writeMs),
    fileBytes: statSync(out).size,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    ...readSnapshotCounts(out),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// Driver (parent mode)
// ---------------------------------------------------------------------------------------------------------

/** "1.7GB" -> bytes (decimal units as in `ls -l --si`, with MiB/GiB accepted too). */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|KiB|MiB|GiB)?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: ${JSON.stringify(text)} (use e.g. 100MB, 1.7GB)`);
  const unit = (m[2] ?? 'MB').toLowerCase();
  const mult = { kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }[unit];
  return Math.round(Number(m[1]) * mult);
}

function runChild(units, out, maxOldSpaceMb, payloadStrings) {
  const args = [`--max-old-space-size=${maxOldSpaceMb}`, fileURLToPath(import.meta.url), '--child', String(units), out, String(payloadStrings)];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`generator child failed (units=${units}, status=${r.status}, signal=${r.signal})`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function fmtBytes(n) {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`;
}

function parentMain(argv) {
  let outDir = join(here, 'out');
  let payloadStrings = 0;
  const sizes = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir') outDir = resolve(argv[++i]);
    else if (argv[i] === '--payload-strings') payloadStrings = Number(argv[++i]);
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log('usage: node bench/generate-snapshot.mjs [--out-dir DIR] [--payload-strings N] SIZE...   (SIZE like 100MB, 500MB, 1.7GB, 3GB)');
      return;
    } else sizes.push(argv[i]);
  }
  if (sizes.length === 0) sizes.push('100MB', '500MB', '1.7GB', '3GB');
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  chmodSync(outDir, 0o700);

  // Calibration: two small snapshots give base + slope (bytes per unit) and heap bytes per unit.
  const calA = runChild(4_000, join(outDir, 'calibrate-a.heapsnapshot'), 1024, payloadStrings);
  const calB = runChild(16_000, join(outDir, 'calibrate-b.heapsnapshot'), 1024, payloadStrings);
  rmSync(join(outDir, 'calibrate-a.heapsnapshot'), { force: true });
  rmSync(join(outDir, 'calibrate-b.heapsnapshot'), { force: true });
  const slope = (calB.fileBytes - calA.fileBytes) / (calB.units - calA.units);
  const base = calA.fileBytes - slope * calA.units;
  const heapPerUnit = (calB.heapUsedBytes - calA.heapUsedBytes) / (calB.units - calA.units);
  console.error(`calibration: ${slope.toFixed(0)} file bytes/unit, base ${fmtBytes(base)}, ${heapPerUnit.toFixed(0)} heap bytes/unit`);

  for (const size of sizes) {
    const target = parseSize(size);
    const units = Math.max(1000, Math.round((target - base) / slope));
    const label = size.toLowerCase().replace(/\s+/g, '');
    const out = join(outDir, `heap-${label}.heapsnapshot`);
    // Old space: the built heap plus headroom for the GC; the snapshot writer's own memory is outside it.
    const maxOldSpaceMb = Math.ceil((units * heapPerUnit * 1.5) / 2 ** 20) + 512;
    console.error(`${label}: building ${units} units (--max-old-space-size=${maxOldSpaceMb}) -> ${out}`);
    const r = runChild(units, out, maxOldSpaceMb, payloadStrings);
    // Sidecar facts for run.mjs (expected class counts, generator cost); written whole, then renamed.
    const meta = out.replace(/\.heapsnapshot$/, '.meta.json');
    writeFileSync(`${meta}.partial`, `${JSON.stringify({ label, ...r }, null, 1)}\n`, { mode: 0o600 });
    renameSync(`${meta}.partial`, meta);
    console.log(
      `${label}: ${out}  ${fmtBytes(r.fileBytes)} (${r.fileBytes} bytes), ${r.nodes} nodes, ${r.edges} edges, ` +
        `build ${(r.buildMs / 1000).toFixed(1)} s, write ${(r.writeMs / 1000).toFixed(1)} s, generator peak RSS ${fmtBytes(r.maxRssBytes)}`,
    );
  }
}

if (process.argv[2] === '--child') childMain(Number(process.argv[3]), process.argv[4], Number(process.argv[5] ?? 0));
else if (import.meta.url === `file://${process.argv[1]}` || fileURLToPath(import.meta.url) === resolve(process.argv[1] ?? '')) parentMain(process.argv.slice(2));
