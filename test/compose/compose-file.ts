/**
 * Reads docker-compose.yml the way Compose does, for the tests: YAML with `<<` merge keys, `${VAR}`
 * interpolation, and the short and long forms of environment, depends_on, volumes and ports.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type Environment = Readonly<Record<string, string>>;

export interface Mount {
  /** A named volume (listed under top-level `volumes:`), or a host path for a bind mount. */
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export interface PortMapping {
  readonly hostIp: string | undefined;
  readonly published: number;
  readonly target: number;
}

export interface Service {
  readonly name: string;
  readonly image: string | undefined;
  readonly build: { readonly context: string; readonly dockerfile: string } | undefined;
  readonly command: readonly string[] | undefined;
  readonly environment: Environment;
  readonly volumes: readonly Mount[];
  readonly ports: readonly PortMapping[];
  /** Service name -> condition (`service_started` for the list form). */
  readonly dependsOn: Readonly<Record<string, string>>;
  /** The healthcheck's `test`, as a list (a string `test` becomes ['CMD-SHELL', test]). */
  readonly healthcheck: readonly string[] | undefined;
  readonly restart: string | undefined;
  readonly user: string | undefined;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, Service>>;
  readonly volumes: readonly string[];
}

type Record_ = Record<string, unknown>;

function isRecord(value: unknown): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, where: string): Record_ {
  if (!isRecord(value)) throw new Error(`${where}: expected a mapping`);
  return value;
}

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: expected a string, number or boolean`);
}

function optionalString(value: unknown, where: string): string | undefined {
  return value === undefined || value === null ? undefined : scalar(value, where);
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list`);
  return value.map((item: unknown, index) => scalar(item, `${where}[${index}]`));
}

const variable = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Compose's interpolation: `$$` is a literal `$`; `${VAR}`, `$VAR`, `${VAR:-default}` (unset or empty),
 * `${VAR-default}` (unset), `${VAR:?message}` / `${VAR?message}` (fail). An unset variable without a
 * default throws here (Compose would warn and substitute an empty string).
 */
export function interpolate(text: string, shell: Environment): string {
  return text.replace(
    variable,
    (
      match,
      braced: string | undefined,
      operator: string | undefined,
      operand: string | undefined,
      bare: string | undefined,
    ) => {
      if (match === '$$') return '$';
      const name = braced ?? bare ?? '';
      const value = shell[name];
      const missing = operator?.startsWith(':') ? !value : value === undefined;
      if (!missing && value !== undefined) return value;
      if (operator === ':-' || operator === '-') return operand ?? '';
      if (operator === ':?' || operator === '?') throw new Error(`${name}: ${operand ?? 'required'}`);
      throw new Error(`\${${name}} is used without a default and is not set`);
    },
  );
}

function interpolateAll(value: unknown, shell: Environment): unknown {
  if (typeof value === 'string') return interpolate(value, shell);
  if (Array.isArray(value)) return value.map((item: unknown) => interpolateAll(item, shell));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, shell)]));
  return value;
}

function environmentOf(value: unknown, where: string): Environment {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      stringList(value, where).map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(record(value, where)).map(([key, item]) => [
      key,
      item === null ? '' : scalar(item, `${where}.${key}`),
    ]),
  );
}

function dependsOnOf(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value))
    return Object.fromEntries(stringList(value, where).map((name) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(record(value, where)).map(([name, item]) => [
      name,
      optionalString(record(item ?? {}, `${where}.${name}`)['condition'], `${where}.${name}.condition`) ??
        'service_started',
    ]),
  );
}

function mountOf(value: unknown, where: string): Mount {
  if (typeof value === 'string') {
    const [source = '', target = '', mode = ''] = value.split(':');
    return { source, target, readOnly: mode.split(',').includes('ro') };
  }
  const long = record(value, where);
  return {
    source: scalar(long['source'], `${where}.source`),
    target: scalar(long['target'], `${where}.target`),
    readOnly: long['read_only'] === true,
  };
}

function portOf(value: unknown, where: string): PortMapping {
  if (isRecord(value)) {
    return {
      hostIp: optionalString(value['host_ip'], `${where}.host_ip`),
      published: Number(scalar(value['published'], `${where}.published`)),
      target: Number(scalar(value['target'], `${where}.target`)),
    };
  }
  const parts = scalar(value, where)
    .replace(/\/(tcp|udp)$/, '')
    .split(':');
  const target = Number(parts.at(-1));
  const published = parts.length >= 2 ? Number(parts.at(-2)) : target;
  return { hostIp: parts.length === 3 ? parts[0] : undefined, published, target };
}

function healthcheckOf(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const test = record(value, where)['test'];
  if (typeof test === 'string') return ['CMD-SHELL', test];
  return stringList(test, `${where}.test`);
}

function buildOf(value: unknown, where: string): Service['build'] {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { context: value, dockerfile: 'Dockerfile' };
  const build = record(value, where);
  return {
    context: scalar(build['context'] ?? '.', `${where}.context`),
    dockerfile: scalar(build['dockerfile'] ?? 'Dockerfile', `${where}.dockerfile`),
  };
}

function serviceOf(name: string, value: unknown): Service {
  const where = `services.${name}`;
  const service = record(value, where);
  const command = service['command'];
  return {
    name,
    image: optionalString(service['image'], `${where}.image`),
    build: buildOf(service['build'], `${where}.build`),
    command:
      command === undefined || command === null
        ? undefined
        : typeof command === 'string'
          ? command.split(/\s+/)
          : stringList(command, `${where}.command`),
    environment: environmentOf(service['environment'], `${where}.environment`),
    volumes: Array.isArray(service['volumes'])
      ? service['volumes'].map((item: unknown, index) => mountOf(item, `${where}.volumes[${index}]`))
      : [],
    ports: Array.isArray(service['ports'])
      ? service['ports'].map((item: unknown, index) => portOf(item, `${where}.ports[${index}]`))
      : [],
    dependsOn: dependsOnOf(service['depends_on'], `${where}.depends_on`),
    healthcheck: healthcheckOf(service['healthcheck'], `${where}.healthcheck`),
    restart: optionalString(service['restart'], `${where}.restart`),
    user: optionalString(service['user'], `${where}.user`),
  };
}

/** Parses and interpolates a compose file, with `shell` as the variables of the shell and .env. */
export function readComposeFile(path: string, shell: Environment = {}): ComposeFile {
  const raw: unknown = parse(readFileSync(path, 'utf8'), { merge: true });
  const top = record(interpolateAll(raw, shell), path);
  return {
    services: Object.fromEntries(
      Object.entries(record(top['services'], 'services')).map(([name, value]) => [
        name,
        serviceOf(name, value),
      ]),
    ),
    volumes: Object.keys(record(top['volumes'] ?? {}, 'volumes')),
  };
}

/** `postgres://user:password@host:port/database` or `mongodb://host:port/database`, parsed. */
export function parseServerUrl(url: string): {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
} {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}
