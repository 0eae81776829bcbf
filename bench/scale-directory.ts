import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { generateDirectoryFile } from '../src/cli/generate.js';
import {
  generatedOrgs,
  tokenHolderOf,
  type GeneratedTokenHolder,
  type GenerateOptions,
} from '../src/directory/generate-directory.js';

// The directory of the scale benchmark: generated once per set of options (and version of the
// generator) into bench/results/, with a small side file of what the benchmark needs to know about it:
// who holds a token, and a sample of people to search for.

export interface SampledPerson {
  id: string;
  orgId: string;
  email: string;
  displayName: string;
}

export interface ScaleDirectory {
  file: string;
  bytes: number;
  options: GenerateOptions;
  orgs: { id: string; displayName: string; people: number; manages: string[] }[];
  holders: GeneratedTokenHolder[];
  sample: SampledPerson[];
  /** Seconds spent generating; 0 when the cached file was used. */
  generatedS: number;
}

interface SideFile {
  key: string;
  bytes: number;
  holders: GeneratedTokenHolder[];
  sample: SampledPerson[];
}

const SAMPLE_SIZE = 6000;

export async function scaleDirectory(
  dir: string,
  options: GenerateOptions,
  /** The files the generator's output depends on: a change to any of them makes a new file. */
  generatorSources: readonly string[],
  log: (line: string) => void,
): Promise<ScaleDirectory> {
  const sha = createHash('sha256');
  for (const source of generatorSources) sha.update(readFileSync(source));
  const hash = sha.digest('hex').slice(0, 12);
  const key = `${options.people}-${options.orgs}-${options.seed}-${options.tokens}-${hash}`;
  const file = `${dir}/scale-directory-${options.people}-${options.orgs}-${options.seed}-${options.tokens}.json`;
  const side = `${file.replace(/\.json$/, '')}.meta.json`;
  const orgs = generatedOrgs(options).map((o) => ({
    id: o.id,
    displayName: o.displayName,
    people: o.people,
    manages: o.manages ?? [],
  }));

  if (existsSync(file) && existsSync(side)) {
    const meta = JSON.parse(readFileSync(side, 'utf8')) as SideFile;
    if (meta.key === key && statSync(file).size === meta.bytes) {
      log(`Reusing ${file} (${(meta.bytes / 1e6).toFixed(0)} MB)`);
      return {
        file,
        bytes: meta.bytes,
        options,
        orgs,
        holders: meta.holders,
        sample: meta.sample,
        generatedS: 0,
      };
    }
  }

  log(`Generating ${options.people.toLocaleString('en-US')} people into ${file}…`);
  const started = performance.now();
  const holders: GeneratedTokenHolder[] = [];
  const sample: SampledPerson[] = [];
  const every = Math.max(1, Math.floor(options.people / SAMPLE_SIZE));
  let index = 0;
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  await generateDirectoryFile(options, partial, (person) => {
    const holder = tokenHolderOf(person);
    if (holder) holders.push(holder);
    if (index++ % every === 0 && person.type === undefined) {
      sample.push({
        id: person.id as string,
        orgId: person.orgId,
        email: person.emails[0] as string,
        displayName: person.displayName as string,
      });
    }
  });
  renameSync(partial, file);
  const bytes = statSync(file).size;
  writeFileSync(side, JSON.stringify({ key, bytes, holders, sample } satisfies SideFile));
  const generatedS = (performance.now() - started) / 1000;
  log(`Generated ${(bytes / 1e6).toFixed(0)} MB in ${generatedS.toFixed(1)} s`);
  return { file, bytes, options, orgs, holders, sample, generatedS };
}
