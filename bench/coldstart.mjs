// Cold start: the time from spawning `coachd serve` to its first 200 from
// GET /healthz, measured RUNS times on an existing (migrated) database.
// Prints each run, then the median and the maximum in milliseconds.
//
//   node bench/coldstart.mjs --bin build/coachd --db DB [--runs 20] [--data-dir DIR]
//
// The port is chosen by the server (--listen 127.0.0.1:0) and read from its
// "coachd: listening on http://127.0.0.1:PORT/" line; /healthz is then asked
// in a tight loop (a new connection each time, no delay) until it answers 200.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    bin: { type: 'string', default: 'build/coachd' },
    db: { type: 'string' },
    runs: { type: 'string', default: '20' },
    'data-dir': { type: 'string' },
    'timeout-ms': { type: 'string', default: '5000' },
  },
});
if (!opt.db) {
  console.error('coldstart: --db DB is required (an existing, migrated database)');
  process.exit(2);
}
const runs = Math.max(1, Number(opt.runs) || 20);
const timeoutMs = Number(opt['timeout-ms']) || 5000;
const agent = new http.Agent({ keepAlive: false });

// One GET; resolves to the status code, or 0 when the connection failed.
function get(port, path) {
  return new Promise((resolve) => {
    const r = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', () => resolve(0));
    });
    r.on('error', () => resolve(0));
  });
}

// Warms node's own HTTP client so that its first-use cost is not counted.
async function warmUp() {
  const srv = http.createServer((q, s) => s.end('ok'));
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  await get(srv.address().port, '/');
  await new Promise((r) => srv.close(r));
}

async function once() {
  const args = ['serve', '--db', opt.db, '--listen', '127.0.0.1:0', '--quiet'];
  if (opt['data-dir']) args.push('--data-dir', opt['data-dir']);
  const t0 = process.hrtime.bigint();
  const child = spawn(opt.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  let gone = false;
  exited.then(() => { gone = true; });
  const deadline = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const port = await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
        if (m) resolve(Number(m[1]));
      });
      exited.then(({ code, signal }) => reject(new Error(`exited (${code ?? signal}) before listening: ${err.trim()}`)));
    });
    const tPort = process.hrtime.bigint();
    for (;;) {
      if (gone) throw new Error(`exited before answering: ${err.trim()}`);
      const status = await get(port, '/healthz');
      if (status === 200) break;
    }
    const t1 = process.hrtime.bigint();
    return { total: Number(t1 - t0) / 1e6, toListen: Number(tPort - t0) / 1e6 };
  } finally {
    clearTimeout(deadline);
    if (!gone) child.kill('SIGTERM');
    const stop = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(stop);
  }
}

const fmt = (x) => x.toFixed(1);
await warmUp();
const totals = [];
const listens = [];
let failures = 0;
for (let i = 0; i < runs; i++) {
  try {
    const r = await once();
    totals.push(r.total);
    listens.push(r.toListen);
  } catch (e) {
    failures++;
    console.log(`run ${i + 1}: failed: ${e.message}`);
  }
}
if (totals.length) {
  const sorted = [...totals].sort((a, b) => a - b);
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  console.log(`runs (ms): ${totals.map(fmt).join(' ')}`);
  console.log(`spawn to "listening" line: median ${fmt(median(listens))} ms`);
  console.log(`spawn to first 200: median ${fmt(median(totals))} ms, min ${fmt(sorted[0])} ms, ` +
    `max ${fmt(sorted[sorted.length - 1])} ms (${totals.length} runs${failures ? `, ${failures} failed` : ''})`);
} else {
  console.log(`no run answered 200 (${failures} failed)`);
}
