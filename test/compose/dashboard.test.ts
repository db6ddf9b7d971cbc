/**
 * The observability services of docker-compose.yml, checked without Docker: Prometheus scrapes every
 * app service of the compose file (the gateway with its metrics token), Grafana is provisioned with
 * that Prometheus and the dashboard, and every metric and label the dashboard's queries use is one the
 * code exports: the names come from the code's own metric classes, constructed here in registries.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsumerHealth, registerOutboxMetrics } from '@commerce/common/events';
import { HttpRequestMetrics } from '@commerce/common/server';
import { RateLimitMetrics, SubscriptionMetrics } from '@commerce/gateway';
import { subgraphs } from '@commerce/supergraph';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readComposeFile, type Service } from './compose-file.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = readComposeFile(join(root, 'docker-compose.yml'));
const appServices = ['gateway', ...subgraphs.map((subgraph) => subgraph.name)];

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** The host file a service's bind mount shows at `target` (a path inside the container). */
function boundFile(svc: Service, target: string): string {
  const mount = svc.volumes.find((candidate) => !relative(candidate.target, target).startsWith('..'));
  if (!mount || compose.volumes.includes(mount.source))
    throw new Error(`${svc.name}: ${target} is on no bind mount`);
  return resolve(root, mount.source, relative(mount.target, target));
}

/** The named volume and the path in it where a service sees `target`. */
function onVolume(svc: Service, target: string): string | undefined {
  const mount = svc.volumes.find((candidate) => !relative(candidate.target, target).startsWith('..'));
  return mount && compose.volumes.includes(mount.source)
    ? `${mount.source}:${relative(mount.target, target)}`
    : undefined;
}

interface Exported {
  readonly type: string;
  readonly labels: readonly string[];
}

/** Name -> type and labels of every series a registry exports (histograms as _bucket, _sum, _count). */
async function exportedBy(registry: Registry): Promise<Map<string, Exported>> {
  const names = new Map<string, Exported>();
  for (const json of await registry.getMetricsAsJSON()) {
    // prom-client's typings say an enum; the objects carry the exposition format's type name.
    const { name, type } = json as unknown as { name: string; type: string };
    const metric = registry.getSingleMetric(name) as unknown as { labelNames?: readonly string[] };
    const labels = metric.labelNames ?? [];
    if (type === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count'])
        names.set(name + suffix, { type, labels: suffix === '_bucket' ? [...labels, 'le'] : labels });
    else names.set(name, { type, labels });
  }
  return names;
}

async function gatewayMetrics(): Promise<Map<string, Exported>> {
  const registry = new Registry();
  new SubscriptionMetrics(registry);
  new RateLimitMetrics(registry);
  new HttpRequestMetrics(registry);
  return exportedBy(registry);
}

async function subgraphMetrics(): Promise<Map<string, Exported>> {
  const registry = new Registry();
  registerOutboxMetrics(registry, { pendingCount: () => Promise.resolve(0), observe: () => () => true });
  new HttpRequestMetrics(registry);
  return exportedBy(Registry.merge([new ConsumerHealth().registry, registry]));
}

/** The metric names and the label names of a PromQL expression (functions and keywords left out). */
export function promqlNames(expr: string): { metrics: string[]; labels: string[] } {
  const labels: string[] = [];
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const withoutMatchers = withoutStrings.replace(/\{([^}]*)\}/g, (_match, inner: string) => {
    for (const matcher of inner.split(',')) {
      const label = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)/.exec(matcher)?.[1];
      if (label) labels.push(label);
    }
    return ' ';
  });
  const withoutGroupings = withoutMatchers.replace(
    /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
    (_match, inner: string) => {
      labels.push(
        ...inner
          .split(',')
          .map((label) => label.trim())
          .filter(Boolean),
      );
      return ' ';
    },
  );
  const bare = withoutGroupings.replace(/\[[^\]]*\]/g, ' ').replace(/""/g, ' ');
  const keywords = new Set(['and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan']);
  const metrics = [...bare.matchAll(/(?<![\w.$])([A-Za-z_:][A-Za-z0-9_:]*)(?![\w:]|\s*\()/g)]
    .map((match) => match[1] ?? '')
    .filter((name) => !keywords.has(name.toLowerCase()));
  return { metrics, labels };
}

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly datasource?: { readonly uid?: string };
  readonly targets?: readonly { readonly expr: string; readonly datasource?: { readonly uid?: string } }[];
}

const grafana = service('grafana');
const dashboardPath = join(root, 'deploy/grafana/dashboards/commerce.json');
const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as { uid: string; panels: Panel[] };
const queried = dashboard.panels.filter((panel) => panel.type !== 'row');
const prometheus = service('prometheus');
const scrapeConfig = parse(
  readFileSync(
    boundFile(prometheus, /--config\.file=(\S+)/.exec(prometheus.command?.join(' ') ?? '')?.[1] ?? ''),
    'utf8',
  ),
) as {
  scrape_configs: {
    job_name: string;
    metrics_path?: string;
    authorization?: { type?: string; credentials_file?: string };
    static_configs: { targets: string[]; labels?: Record<string, string> }[];
  }[];
};
/** Prometheus's jobs and the compose services whose /metrics they scrape. */
const scrapeJobs = new Map(
  scrapeConfig.scrape_configs.map((job) => [
    job.job_name,
    job.static_configs.flatMap((group) => group.targets.map((target) => target.split(':')[0] ?? '')),
  ]),
);
/** The labels Prometheus adds to every series it scrapes. */
const targetLabels = ['job', 'instance', 'service'];

describe('promqlNames', () => {
  it('finds metric and label names, not functions, keywords, strings or durations', () => {
    expect(
      promqlNames(
        'histogram_quantile(0.95, sum by (le, field) (rate(a_seconds_bucket{job="gateway",status=~"4..|5.."}[$__rate_interval]))) / on (field) b_total',
      ),
    ).toEqual({
      metrics: ['a_seconds_bucket', 'b_total'],
      labels: ['job', 'status', 'le', 'field', 'field'],
    });
  });
});

describe('Prometheus in docker-compose.yml', () => {
  it('scrapes /metrics of the gateway and of every listed subgraph, at the port the service listens on', () => {
    const scraped = scrapeConfig.scrape_configs.flatMap((job) => {
      expect(job.metrics_path ?? '/metrics').toBe('/metrics');
      return job.static_configs.flatMap((group) =>
        group.targets.map((target) => {
          const [host = '', port = ''] = target.split(':');
          expect(service(host).environment['PORT'], target).toBe(port);
          expect(group.labels?.['service'], `${target} is labelled with its service`).toBe(host);
          return host;
        }),
      );
    });
    expect(scraped.sort()).toEqual([...appServices].sort());
    expect(scrapeJobs.get('gateway')).toEqual(['gateway']);
  });

  it('sends the gateway the bearer token the gateway reads, from the volume both mount', () => {
    const job = scrapeConfig.scrape_configs.find((candidate) => candidate.job_name === 'gateway');
    expect(job?.authorization?.type ?? 'Bearer').toBe('Bearer');
    const tokenFile = job?.authorization?.credentials_file ?? '';
    const gatewayFile = service('gateway').environment['METRICS_TOKEN_FILE'] ?? '';
    expect(onVolume(prometheus, tokenFile)).toBeDefined();
    expect(onVolume(prometheus, tokenFile)).toBe(onVolume(service('gateway'), gatewayFile));
    expect(prometheus.dependsOn['metrics-token']).toBe('service_completed_successfully');
  });

  it('pins the images of Prometheus, Grafana and Kafka UI, and publishes their ports on 127.0.0.1 only', () => {
    for (const name of ['prometheus', 'grafana', 'kafka-ui']) {
      expect(service(name).image).toMatch(/:v?\d+\.\d+\.\d+$/);
      expect(service(name).ports.length).toBeGreaterThan(0);
      for (const port of service(name).ports) expect(port.hostIp).toBe('127.0.0.1');
    }
    for (const svc of Object.values(compose.services))
      for (const port of svc.ports) expect(port.hostIp, svc.name).toBe('127.0.0.1');
  });

  it('gives Kafka UI the broker the subgraphs use', () => {
    const ui = service('kafka-ui');
    expect(ui.environment['KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS']).toBe(
      service('users').environment['KAFKA_BROKERS'],
    );
    expect(ui.dependsOn['kafka']).toBe('service_healthy');
  });
});

describe('the Grafana dashboard', () => {
  it('is provisioned from deploy/grafana with the Prometheus of the compose file as its datasource', () => {
    const provisioning = boundFile(grafana, '/etc/grafana/provisioning');
    const datasources = parse(readFileSync(join(provisioning, 'datasources/prometheus.yml'), 'utf8')) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    const [datasource] = datasources.datasources;
    expect(datasource?.type).toBe('prometheus');
    expect(datasource?.url).toBe('http://prometheus:9090');
    expect(prometheus.ports.map((port) => port.target)).toContain(9090);
    const providers = parse(readFileSync(join(provisioning, 'dashboards/commerce.yml'), 'utf8')) as {
      providers: { options: { path: string } }[];
    };
    const folder = providers.providers[0]?.options.path ?? '';
    expect(boundFile(grafana, join(folder, 'commerce.json'))).toBe(dashboardPath);
    for (const panel of queried) {
      expect(panel.datasource?.uid, panel.title).toBe(datasource?.uid);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe(datasource?.uid);
    }
  });

  it('shows requests and errors, subscriptions, deliveries, latency, events, outbox backlog and dead letters', () => {
    const exprs = queried.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)).join('\n');
    for (const metric of [
      'graphql_http_requests_total',
      'graphql_http_request_duration_seconds_bucket',
      'gateway_subscriptions',
      'gateway_subscription_events_delivered_total',
      'gateway_subscription_delivery_latency_seconds_bucket',
      'gateway_subscription_events_consumed_total',
      'outbox_pending_events',
      'event_consumer_dead_letters_total',
    ])
      expect(exprs).toContain(metric);
  });

  it('queries only metrics and labels the code exports, from the services that export them', async () => {
    const byJob: Record<string, Map<string, Exported>> = {
      gateway: await gatewayMetrics(),
      subgraphs: await subgraphMetrics(),
    };
    const all = new Map([...byJob['subgraphs']!, ...byJob['gateway']!]);
    expect([...scrapeJobs.keys()].sort()).toEqual(Object.keys(byJob).sort());
    for (const panel of queried) {
      expect(panel.targets?.length, `${panel.title} has queries`).toBeGreaterThan(0);
      for (const { expr } of panel.targets ?? []) {
        const { metrics, labels } = promqlNames(expr);
        expect(metrics.length, expr).toBeGreaterThan(0);
        const job = /\bjob\s*=\s*"([^"]+)"/.exec(expr)?.[1];
        const exported = job ? byJob[job] : all;
        expect(exported, `${expr}: job "${job}" is a scrape job`).toBeDefined();
        const allowed = new Set(targetLabels);
        for (const metric of metrics) {
          const found = exported?.get(metric);
          expect(found, `${panel.title}: ${metric} is exported${job ? ` by ${job}` : ''}`).toBeDefined();
          for (const label of found?.labels ?? []) allowed.add(label);
          if (/\brate\(|\bincrease\(/.test(expr) && !metric.endsWith('_bucket'))
            expect(found?.type, `${metric} under rate() is a counter`).toMatch(/counter|histogram/);
        }
        for (const label of labels) expect(allowed, `${panel.title}: label ${label}`).toContain(label);
      }
    }
  });
});
