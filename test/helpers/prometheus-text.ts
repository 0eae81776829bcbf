// A strict reader of the Prometheus text exposition format (version 0.0.4), written from the format's
// documentation rather than from prom-client: it throws on any line a Prometheus server would reject.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '(?:[^"\\\\\\n]|\\\\[\\\\"n])*';
// Prometheus reads values with Go's ParseFloat: NaN and Inf in any case (prom-client writes `Nan`).
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|[nN][aA][nN]|[+-]?[iI][nN][fF])';
const HELP_LINE = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE_LINE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL}="${LABEL_VALUE}")(?:,${LABEL}="${LABEL_VALUE}")*,?)?\\})? (${VALUE})(?: (-?\\d+))?$`,
);
const LABEL_PAIR = new RegExp(`(${LABEL})="(${LABEL_VALUE})"`, 'g');

const SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ['', '_total'],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower.endsWith('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** The families of a scrape, in order; throws with the line number on anything malformed. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const pending = new Map<string, string>(); // HELP seen, TYPE not yet
  let current: Family | undefined;
  const fail = (n: number, line: string, why: string): never => {
    throw new Error(`metrics line ${n + 1}: ${why}: ${JSON.stringify(line)}`);
  };
  if (!text.endsWith('\n')) throw new Error('metrics text must end with a newline');
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, n) => {
      if (line === '') return;
      const help = HELP_LINE.exec(line);
      if (help) {
        const name = help[1] as string;
        if (pending.has(name) || families.has(name)) fail(n, line, 'second HELP');
        pending.set(name, help[2] as string);
        return;
      }
      const type = TYPE_LINE.exec(line);
      if (type) {
        const name = type[1] as string;
        if (families.has(name)) fail(n, line, 'second TYPE');
        current = { name, type: type[2] as MetricType, help: pending.get(name) ?? '', samples: [] };
        families.set(name, current);
        return;
      }
      if (line.startsWith('#')) fail(n, line, 'unknown comment');
      const sample = SAMPLE_LINE.exec(line) ?? fail(n, line, 'not a sample');
      const name = sample[1] as string;
      if (current === undefined || !SUFFIXES[current.type].some((s) => `${current?.name}${s}` === name)) {
        fail(n, line, 'sample outside its family');
      }
      const labels: Record<string, string> = {};
      for (const [, label, value] of (sample[2] ?? '').matchAll(LABEL_PAIR)) {
        if ((label as string) in labels) fail(n, line, 'repeated label');
        labels[label as string] = unescape(value as string);
      }
      if (current?.type === 'histogram' && name.endsWith('_bucket') && labels.le === undefined) {
        fail(n, line, 'bucket without le');
      }
      current?.samples.push({ name, labels, value: parseValue(sample[3] as string) });
    });
  return families;
}

/** The value of the one sample named `name` whose labels include `labels`; 0 when there is none. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number {
  const matches = [...families.values()]
    .flatMap((family) => family.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matches.length > 1)
    throw new Error(`${matches.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matches[0]?.value ?? 0;
}
