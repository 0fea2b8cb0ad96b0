#!/usr/bin/env node
// Enactment notes, the hot write of coaching cycles: each coach adds a note
// to their own cycle's enactment every few seconds, as a phone in a
// classroom would, through POST /api/cycles/{id}/notes with their API
// token. Coaches start spread over one interval, and each waits for its
// answer before its next note (one phone, one request at a time).
// Prints "key value" lines for bench/run: sent, acknowledged (201),
// errors (by status), and latency p50, p99 and max in ms.
//
// usage: node bench/notes-load.mjs --url URL --plan FILE --tokens FILE
//          [--seconds 60] [--every 2] [--acked FILE]
//   plan:   "email cycle_id stage_id" per line (bench/gen-cycles notes --plan)
//   tokens: "email token" per line
//   acked:  written as answers come: "note_id<TAB>body<TAB>unix_ms" for each
//           acknowledged note, so a fault script can look for every one of
//           them in the database afterwards (bench/fault-durability)
import { openSync, readFileSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const opts = { url: null, plan: null, tokens: null, seconds: 60, every: 2, acked: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in opts) || i + 1 >= argv.length) {
    process.stderr.write('usage: notes-load.mjs --url URL --plan FILE --tokens FILE [--seconds N] [--every N] [--acked FILE]\n');
    process.exit(2);
  }
  opts[key] = ['seconds', 'every'].includes(key) ? Number(argv[++i]) : argv[++i];
}
if (!opts.url || !opts.plan || !opts.tokens || !(opts.seconds > 0) || !(opts.every > 0)) {
  process.stderr.write('notes-load: --url, --plan and --tokens are needed; --seconds and --every are positive\n');
  process.exit(2);
}

const lines = (file) => readFileSync(file, 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 2);
const tokens = new Map(lines(opts.tokens).map(([email, token]) => [email, token]));
const coaches = lines(opts.plan).map(([email, cycle, stage]) => ({ email, cycle: Number(cycle), stage: Number(stage), token: tokens.get(email) }))
  .filter((c) => c.token);
if (!coaches.length) {
  process.stderr.write('notes-load: no coach has a token\n');
  process.exit(1);
}

// Written line by line, not at the end: the record must hold every note
// acknowledged before the server or the load is stopped.
const ackedFd = opts.acked ? openSync(opts.acked, 'w') : null;

const tags = ['student_reasoning', 'question', 'misconception', 'teacher_move', 'strategy'];
const latencies = [];
const errors = new Map();
let sent = 0, acknowledged = 0;
const start = performance.now();
const stopAt = start + opts.seconds * 1000;

async function note(c, k) {
  const text = `Bench note ${k} from ${c.email}`;
  const body = JSON.stringify({ stage_id: c.stage, tag: tags[k % tags.length], body: text });
  const t0 = performance.now();
  sent++;
  try {
    const res = await fetch(`${opts.url}/api/cycles/${c.cycle}/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(10000),
    });
    const answer = await res.text();
    latencies.push(performance.now() - t0);
    if (res.status === 201) {
      acknowledged++;
      if (ackedFd !== null) writeSync(ackedFd, `${JSON.parse(answer).id}\t${text}\t${Date.now()}\n`);
    } else errors.set(res.status, (errors.get(res.status) || 0) + 1);
  } catch (e) {
    const why = e.name === 'TimeoutError' ? 'timeout' : 'network';
    errors.set(why, (errors.get(why) || 0) + 1);
  }
}

async function coach(c, i) {
  const interval = opts.every * 1000;
  for (let k = 0; ; k++) {
    const due = start + (i / coaches.length) * interval + k * interval;
    if (due >= stopAt) return;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    await note(c, k);
  }
}

await Promise.all(coaches.map((c, i) => coach(c, i)));

const sorted = latencies.sort((a, b) => a - b);
const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] : NaN);
const ms = (v) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
console.log(`coaches ${coaches.length}`);
console.log(`seconds ${((performance.now() - start) / 1000).toFixed(1)}`);
console.log(`sent ${sent}`);
console.log(`acknowledged ${acknowledged}`);
console.log(`errors ${errorCount}${errorCount ? ` (${[...errors].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`);
console.log(`p50 ${ms(pct(0.5))}`);
console.log(`p99 ${ms(pct(0.99))}`);
console.log(`max ${ms(sorted[sorted.length - 1])}`);
