// Reads a /metrics answer as Prometheus would: every line must follow the text format 0.0.4 grammar, then a real
// parser (parse-prometheus-text-format) turns it into families and samples.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
// Prometheus reads values with Go's strconv.ParseFloat, which takes NaN and Inf in any case (prom-client writes "Nan").
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|[nN][aA][nN]|[+-]?[iI][nN][fF])';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? ${VALUE}(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/** Throws naming the first line that breaks the grammar, or a sample whose family has no TYPE line before it. */
export function assertPrometheusText(text: string): void {
  if (!text.endsWith('\n')) throw new Error('metrics text must end with a newline');
  const typed = new Map<string, string>();
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const where = `line ${index + 1}: ${JSON.stringify(line)}`;
      if (line === '' || HELP.test(line)) return;
      const type = TYPE.exec(line);
      if (type !== null) {
        if (typed.has(type[1] as string)) throw new Error(`${where}: second TYPE line for the family`);
        typed.set(type[1] as string, type[2] as string);
        return;
      }
      const sample = SAMPLE.exec(line);
      if (sample === null) throw new Error(`${where}: not a sample, HELP or TYPE line`);
      const name = sample[1] as string;
      const family = [name, name.replace(/_(bucket|sum|count|total|created)$/, '')].find((n) => typed.has(n));
      if (family === undefined) throw new Error(`${where}: sample before its TYPE line`);
    });
}

export interface Scrape {
  /** The value of `name` with exactly these labels, or undefined when there is no such sample. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every sample of `name`, as labels and value. */
  samples(name: string): { labels: Record<string, string>; value: number }[];
  type(name: string): string | undefined;
}

export function parseScrape(text: string): Scrape {
  assertPrometheusText(text);
  const families = parsePrometheusTextFormat(text);
  const byName = new Map(families.map((f) => [f.name, f]));
  const samples = (name: string) =>
    (byName.get(name)?.metrics ?? []).map((m) => ({ labels: { ...(m.labels ?? {}) }, value: Number(m.value) }));
  return {
    samples,
    type: (name) => byName.get(name)?.type,
    value(name, labels = {}) {
      const wanted = JSON.stringify(Object.entries(labels).sort());
      return samples(name).find((s) => JSON.stringify(Object.entries(s.labels).sort()) === wanted)?.value;
    },
  };
}
