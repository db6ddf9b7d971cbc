import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@commerce/common/config';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runTsx, type TsxChild } from '../../test/fixtures/tsx-child.js';
import { serverVariables, startMode } from './start.js';

type ServerVariable = (typeof serverVariables)[number];

const url: Record<ServerVariable, string> = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://commerce@127.0.0.1:5432/commerce',
  MONGODB_URL: 'mongodb://127.0.0.1:27017/commerce',
};

/** Every non-empty proper subset of the server variables: the ones `npm start` refuses. */
const partial = [1, 2, 3, 4, 5, 6].map((bits) => {
  const set = serverVariables.filter((_, index) => bits & (1 << index));
  return { set, names: set.join(' and ') };
});

describe('startMode', () => {
  it('is embedded when none of KAFKA_BROKERS, DATABASE_URL, MONGODB_URL is set (blank counts as unset)', () => {
    expect(startMode({})).toBe('embedded');
    expect(startMode({ KAFKA_BROKERS: '', DATABASE_URL: '  ', MONGODB_URL: undefined })).toBe('embedded');
  });

  it('is servers when all three are set', () => {
    expect(startMode(url)).toBe('servers');
  });

  it.each(partial)('refuses $names alone, naming the variables that are missing', ({ set }) => {
    const missing = serverVariables.filter((name) => !set.includes(name));
    const env = Object.fromEntries(set.map((name) => [name, url[name]]));
    let refused: unknown;
    try {
      startMode(env);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).message).toMatch(`${set.join(', ')} set but not ${missing.join(', ')}:`);
  });
});

describe('npm start (scripts/start.ts) refusing its configuration', { timeout: 60_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-start-'));
  let child: TsxChild | undefined;

  afterEach(() => child?.stop());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** Runs `npm start` with `env` over this process's environment; resolves with its exit code and output. */
  async function refused(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    child = runTsx('scripts/start.ts', [], {
      ...process.env,
      ...env,
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    const exit = await child.exited;
    const output = child.stdout + child.stderr;
    expect(output).not.toMatch(/commerce-supergraph is up/);
    return { code: exit.code, output };
  }

  it('exits non-zero, naming the variables that are missing, and starts nothing', async () => {
    const { code, output } = await refused({
      KAFKA_BROKERS: '',
      DATABASE_URL: url.DATABASE_URL,
      MONGODB_URL: '',
    });
    expect(code, output).not.toBe(0);
    expect(code, output).not.toBeNull();
    expect(output).toMatch(/DATABASE_URL set but not KAFKA_BROKERS, MONGODB_URL/);
  });

  it('exits non-zero, naming START_PROCESSES, when it holds neither one nor per-service', async () => {
    const { code, output } = await refused({ ...url, START_PROCESSES: 'several' });
    expect(code, output).toBe(1);
    expect(output).toMatch(/START_PROCESSES must be one or per-service, got \\?"several/);
  });
});
