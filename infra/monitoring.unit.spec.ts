import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { metrics } from './metrics';
import { TEMPORAL_SDK_METRICS } from './temporal-runtime';

/**
 * The Grafana dashboard (ops/grafana/tuopin.json) and the Prometheus alert rules
 * (ops/prometheus/alerts.yml) against the structure Grafana and Prometheus load, and against the
 * metrics this code registers: a renamed metric or label fails here, not as an empty panel or an
 * alert that can never fire.
 */
const root = path.join(__dirname, '..');
const dashboard = JSON.parse(readFileSync(path.join(root, 'ops/grafana/tuopin.json'), 'utf8')) as Record<string, unknown>;
const rules = parse(readFileSync(path.join(root, 'ops/prometheus/alerts.yml'), 'utf8')) as Record<string, unknown>;

interface Registered {
  readonly type: string;
  readonly labels: readonly string[];
}

/** Every metric the process registers, with its type and label names (the default `service` label included). */
const registered = new Map<string, Registered>(
  metrics.getMetricsAsArray().map((m) => {
    const { name, type, labelNames } = m as unknown as { name: string; type: string; labelNames?: readonly string[] };
    return [name, { type, labels: [...(labelNames ?? []), 'service'] }];
  }),
);

// The Temporal SDK's metrics the worker passes on: their names and labels as listed (and checked against a real worker's scrape).
for (const [name, m] of Object.entries(TEMPORAL_SDK_METRICS)) registered.set(name, { type: m.type, labels: m.labels });

/** PromQL's functions, aggregations and keywords that the expressions here use. */
const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'rate',
  'increase',
  'delta',
  'irate',
  'histogram_quantile',
  'min_over_time',
  'max_over_time',
  'avg_over_time',
  'time',
  'abs',
  'clamp_min',
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'bool',
  'offset',
]);

interface Parsed {
  readonly metrics: readonly string[];
  /** Labels grouped by (`by (...)`): what a legend or an annotation may name. */
  readonly groupedBy: readonly string[];
  readonly problems: readonly string[];
}

/**
 * What an expression names. Strings, durations and ranges go first; label matchers and `by (...)`
 * lists are checked against the labels of the expression's metrics; every identifier left must be a
 * PromQL word or a registered metric (a histogram's series by its _bucket, _sum or _count suffix).
 */
const parsePromql = (expr: string): Parsed => {
  const problems: string[] = [];
  const names: string[] = [];
  const matcherLabels: string[] = [];
  const groupedBy: string[] = [];
  let rest = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\[[0-9smhdw]+(?::[0-9smhdw]*)?\]/g, ' ')
    .replace(/\b\d+(?:\.\d+)?\b/g, ' ');
  rest = rest.replace(/\{([^}]*)\}/g, (_all, body: string) => {
    for (const m of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*""/g)) matcherLabels.push(m[1]!);
    return ' ';
  });
  rest = rest.replace(/\b(by|without|on|ignoring)\s*\(([^)]*)\)/g, (_all, _kw: string, body: string) => {
    groupedBy.push(
      ...body
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    );
    return ' ';
  });
  const histogramLabels: string[] = [];
  for (const [word] of rest.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    if (PROMQL_WORDS.has(word)) continue;
    const base = word.replace(/_(bucket|sum|count)$/, '');
    const r = registered.get(word) ?? (base !== word && registered.get(base)?.type === 'histogram' ? registered.get(base) : undefined);
    if (!r) {
      problems.push(`"${word}" is neither a PromQL word nor a registered metric`);
      continue;
    }
    names.push(registered.has(word) ? word : base);
    if (word.endsWith('_bucket')) histogramLabels.push('le');
  }
  if (names.length === 0) problems.push('names no metric');
  const known = new Set([...names.flatMap((n) => registered.get(n)!.labels), ...histogramLabels]);
  for (const l of [...matcherLabels, ...groupedBy]) if (!known.has(l)) problems.push(`label "${l}" is on none of ${names.join(', ')}`);
  return { metrics: names, groupedBy, problems };
};

describe('the PromQL check itself', () => {
  it('accepts a registered histogram by its bucket series and its labels', () => {
    expect(parsePromql('histogram_quantile(0.95, sum by (le, route) (rate(tuopin_http_request_seconds_bucket[5m])))').problems).toEqual([]);
  });

  it('refuses a metric that is not registered, a label a metric lacks, and a _bucket of a counter', () => {
    expect(parsePromql('max(tuopin_relay_lag)').problems).toEqual(['"tuopin_relay_lag" is neither a PromQL word nor a registered metric', 'names no metric']);
    expect(parsePromql('max by (projection) (tuopin_relay_lag_events)').problems).toEqual(['label "projection" is on none of tuopin_relay_lag_events']);
    expect(parsePromql('sum(tuopin_http_requests_total{outcome="x"})').problems).toEqual(['label "outcome" is on none of tuopin_http_requests_total']);
    expect(parsePromql('rate(tuopin_payment_outcomes_total_bucket[5m])').problems[0]).toMatch(/tuopin_payment_outcomes_total_bucket/);
  });
});

type Panel = Record<string, unknown> & { id: number; type: string; title: string; gridPos: { h: number; w: number; x: number; y: number } };
const panels = dashboard.panels as Panel[];
const targetsOf = (p: Panel) => (p.targets ?? []) as { refId: string; expr: string; legendFormat?: string; datasource?: unknown }[];

describe('the Grafana dashboard (ops/grafana/tuopin.json)', () => {
  it("has the top-level fields of Grafana's dashboard model", () => {
    expect(dashboard).toEqual(
      expect.objectContaining({
        title: expect.any(String),
        uid: expect.stringMatching(/^[a-zA-Z0-9_-]{1,40}$/),
        schemaVersion: expect.any(Number),
        version: expect.any(Number),
        editable: expect.any(Boolean),
        time: { from: expect.any(String), to: expect.any(String) },
        templating: { list: expect.any(Array) },
        annotations: { list: expect.any(Array) },
        panels: expect.any(Array),
      }),
    );
    expect(Number.isInteger(dashboard.schemaVersion) && (dashboard.schemaVersion as number) >= 36).toBe(true);
    // An import gets a fresh id; a fixed one would overwrite whatever dashboard has it.
    expect(dashboard.id).toBeNull();
  });

  it('gives every panel a unique id, a type, a title and a grid position inside the 24 columns, none overlapping', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect(Number.isInteger(p.id) && p.id > 0).toBe(true);
      expect(['row', 'timeseries', 'stat', 'gauge', 'table', 'bargauge']).toContain(p.type);
      expect(p.title).toEqual(expect.any(String));
      const { h, w, x, y } = p.gridPos;
      expect([h, w, x, y].every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
      expect(w >= 1 && h >= 1 && x + w <= 24).toBe(true);
    }
    const overlaps = (a: Panel['gridPos'], b: Panel['gridPos']) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    const clashes = panels.flatMap((a, i) =>
      panels
        .slice(i + 1)
        .filter((b) => overlaps(a.gridPos, b.gridPos))
        .map((b) => `${a.title} / ${b.title}`),
    );
    expect(clashes).toEqual([]);
  });

  it("queries the dashboard's Prometheus data source variable from every panel and target", () => {
    const variable = (dashboard.templating as { list: { name: string; type: string; query: string }[] }).list.find((v) => v.type === 'datasource');
    expect(variable).toEqual(expect.objectContaining({ query: 'prometheus' }));
    const ds = { type: 'prometheus', uid: `\${${variable!.name}}` };
    for (const p of panels.filter((q) => q.type !== 'row')) {
      expect(p.datasource).toEqual(ds);
      const targets = targetsOf(p);
      expect(targets.length).toBeGreaterThan(0);
      expect(new Set(targets.map((t) => t.refId)).size).toBe(targets.length);
      for (const t of targets) expect(t.datasource).toEqual(ds);
    }
  });

  it('names in every expression only metrics and labels infra/metrics.ts registers, and legends only grouped labels', () => {
    const problems = panels.flatMap((p) =>
      targetsOf(p).flatMap((t) => {
        const parsed = parsePromql(t.expr);
        const legend = [...(t.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).filter((l) => !parsed.groupedBy.includes(l));
        return [...parsed.problems, ...legend.map((l) => `legend names "${l}", not grouped by`)].map((e) => `${p.title} ${t.refId}: ${e}`);
      }),
    );
    expect(problems).toEqual([]);
  });

  it('shows what an operator watches', () => {
    const used = new Set(panels.flatMap((p) => targetsOf(p).flatMap((t) => parsePromql(t.expr).metrics)));
    const shown = [...registered.keys()].filter((m) => m.startsWith('tuopin_') || m.startsWith('temporal_'));
    expect(shown.filter((m) => !used.has(m))).toEqual([]);
  });
});

interface Rule {
  alert?: string;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

describe('the Prometheus alert rules (ops/prometheus/alerts.yml)', () => {
  const groups = rules.groups as { name: string; rules: Rule[] }[];
  const all = groups.flatMap((g) => g.rules);

  it('is a rule file: named groups of rules, each an alert with an expression, a duration, a severity and a summary', () => {
    expect(Object.keys(rules)).toEqual(['groups']);
    expect(groups.length).toBeGreaterThan(0);
    expect(new Set(groups.map((g) => g.name)).size).toBe(groups.length);
    for (const r of all) {
      expect(Object.keys(r).every((k) => ['alert', 'expr', 'for', 'labels', 'annotations', 'keep_firing_for'].includes(k))).toBe(true);
      expect(r.alert).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(r.expr).toEqual(expect.any(String));
      expect(r.for).toMatch(/^\d+[smhd]$/);
      expect(r.labels).toEqual({ severity: expect.stringMatching(/^(page|ticket)$/) });
      expect(r.annotations).toEqual({ summary: expect.any(String), description: expect.any(String) });
    }
    expect(new Set(all.map((r) => r.alert)).size).toBe(all.length);
  });

  it('names only registered metrics and labels, and its annotations only labels the expression keeps', () => {
    const problems = all.flatMap((r) => {
      const parsed = parsePromql(r.expr as string);
      const named = Object.values(r.annotations ?? {}).flatMap((a) => [...String(a).matchAll(/\$labels\.(\w+)/g)].map((m) => m[1]!));
      return [...parsed.problems, ...named.filter((l) => !parsed.groupedBy.includes(l)).map((l) => `annotation names $labels.${l}, not kept`)].map((e) => `${r.alert}: ${e}`);
    });
    expect(problems).toEqual([]);
  });

  it('covers the relay, the projectors, stuck steps, verification and long transactions', () => {
    const watched = new Set(all.flatMap((r) => parsePromql(r.expr as string).metrics));
    for (const m of [
      'tuopin_relay_lag_events',
      'tuopin_projector_lag_events',
      'tuopin_stuck_step_attempts_total',
      'tuopin_verify_ok',
      'tuopin_oldest_transaction_seconds',
      'tuopin_tail_gate_hidden_events',
    ]) {
      expect(watched).toContain(m);
    }
  });
});
