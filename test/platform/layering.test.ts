import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The modules a file imports at run time (type-only imports do not create a dependency). */
function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) found.push(match[1]!);
  for (const match of text.matchAll(/^import\s+'([^']+)'/gm)) found.push(match[1]!);
  return found;
}

const files = sourceFiles(SRC);
const rel = (file: string) => path.relative(SRC, file);
const resolveFrom = (file: string, spec: string) => (spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : spec);

test('rules.ts files are pure: they import no I/O, only other pure code', () => {
  const allowedPackages = new Set(['zod']);
  const problems: string[] = [];
  for (const file of files.filter((f) => f.endsWith('rules.ts') || f.includes('/clocks/working-days') || f.endsWith('/access/decide.ts') || /\/access\/(person-access|sharing-terms)\.ts$/.test(f) || /\/platform\/(input-rules|daily-schema)\.ts$/.test(f))) {
    for (const spec of runtimeImports(file)) {
      const target = resolveFrom(file, spec);
      const pureLocal = spec.startsWith('.') && /(rules|policy|decide|working-days|bank-holidays|sharing-terms|person-access|daily-schema)\.(js|json)$/.test(target);
      if (!pureLocal && !allowedPackages.has(spec)) problems.push(`${rel(file)} imports ${spec}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('a module never reads another module’s tables or queries', () => {
  const problems: string[] = [];
  for (const file of files.filter((f) => f.includes(`${path.sep}modules${path.sep}`))) {
    const ownModule = rel(file).split(path.sep)[1];
    for (const spec of runtimeImports(file)) {
      const target = resolveFrom(file, spec);
      const match = /modules\/([^/]+)\/(store|schema)\.js$/.exec(target);
      if (match && match[1] !== ownModule) problems.push(`${rel(file)} imports ${spec}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the platform does not depend on any module at run time', () => {
  const problems: string[] = [];
  for (const file of files.filter((f) => rel(f).startsWith(`platform${path.sep}`))) {
    for (const spec of runtimeImports(file)) {
      if (resolveFrom(file, spec).includes(`${path.sep}modules${path.sep}`)) problems.push(`${rel(file)} imports ${spec}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('no module reaches another module’s tables through raw SQL either', () => {
  const owner = new Map<string, string>();
  for (const file of files.filter((f) => f.endsWith(`${path.sep}schema.ts`) && rel(f).startsWith(`modules${path.sep}`))) {
    const module = rel(file).split(path.sep)[1]!;
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/pgTable\(\s*'(\w+)'/g)) owner.set(match[1]!, module);
  }
  const problems: string[] = [];
  for (const file of files.filter((f) => rel(f).startsWith(`modules${path.sep}`))) {
    const module = rel(file).split(path.sep)[1];
    const text = fs.readFileSync(file, 'utf8');
    for (const [table, tableOwner] of owner) {
      if (tableOwner === module) continue;
      if (new RegExp(`\\b(from|join|into|update)\\s+"?${table}"?\\b`, 'i').test(text)) problems.push(`${rel(file)} uses ${tableOwner}'s table ${table}`);
    }
  }
  assert.ok(owner.size > 10, 'the tables of every module were found');
  assert.deepEqual(problems, []);
});
