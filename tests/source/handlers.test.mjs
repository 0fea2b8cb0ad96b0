// Every route in the table (src/routes.c) names a handler, and that handler
// begins with its header comment: a block that names the route's method
// and address (and, by the project's habit, its parameters and who may use
// it). A newcomer reads a handler's contract there, so none may lack it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function cFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return cFiles(p);
    return e.name.endsWith('.c') ? [p] : [];
  });
}

const table = readFileSync(join(root, 'src', 'routes.c'), 'utf8');
const routes = [...table.matchAll(/\{"([A-Z]+)", "([^"]+)", (\w+), [^}]*\}/g)]
  .map(([, method, pattern, handler]) => ({ method, pattern, handler }));
const sources = cFiles(join(root, 'src')).map((f) => ({ f, text: readFileSync(f, 'utf8') }));

// The comment block right before the handler's definition, or null.
function headerComment(handler) {
  const def = new RegExp(`\\n(?:[a-z_]+ )*void ${handler}\\(req \\*`);
  for (const { f, text } of sources) {
    const m = def.exec(text);
    if (!m) continue;
    const before = text.slice(0, m.index + 1);
    const c = /\/\*(?:(?!\*\/)[\s\S])*\*\/\s*$/.exec(before);
    return { file: f.slice(root.length + 1), comment: c ? c[0] : null };
  }
  return null;
}

test('the route table is read: it has the addresses coachd answers', () => {
  assert.ok(routes.length > 200, `only ${routes.length} routes read from src/routes.c`);
  assert.ok(routes.some((r) => r.method === 'GET' && r.pattern === '/healthz'));
});

test('every route\'s handler begins with a header comment naming the route', () => {
  const problems = [];
  for (const r of routes) {
    const h = headerComment(r.handler);
    if (!h) problems.push(`${r.method} ${r.pattern}: no definition of ${r.handler} found in src/`);
    else if (!h.comment) problems.push(`${r.method} ${r.pattern}: ${r.handler} (${h.file}) has no header comment`);
    else if (!h.comment.includes(`${r.method} ${r.pattern}`)) {
      problems.push(`${r.method} ${r.pattern}: ${r.handler}'s header comment (${h.file}) does not name it`);
    }
  }
  assert.deepEqual(problems, []);
});
