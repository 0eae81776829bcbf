import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run build` for the benchmarks, which run the built server (bin/rollcall.js → dist/).

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Why dist/ must be rebuilt, or undefined when it was built after the last change to the sources. */
export function staleBuild(): string | undefined {
  // tsc writes every output file on each build, so dist/cli/main.js dates the last build.
  const builtAt = statSync(join(ROOT, 'dist', 'cli', 'main.js'), { throwIfNoEntry: false })?.mtimeMs;
  if (builtAt === undefined) return 'no dist/cli/main.js';
  const sources = [
    ...readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(ROOT, 'src', f)),
    ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => join(ROOT, f)),
  ];
  const changed = sources.find((file) => (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) > builtAt);
  return changed === undefined ? undefined : `${relative(ROOT, changed)} changed since the last build`;
}

export function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => (output += chunk.toString());
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run build failed (${code}):\n${output.trimEnd()}`)),
    );
  });
}
