import { createServer } from 'node:net';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import {
  MongoClient,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  type MongoError,
} from 'mongodb';
import pg from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { AppError, failureKind, unavailable } from './errors.js';

/** A loopback port nothing listens on (a server that was stopped). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise((resolve) => server.close(resolve));
  return address.port;
}

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('failureKind: a stopped server, through each driver, is transient', () => {
  it('node-postgres: connection refused', async () => {
    const port = await closedPort();
    const error = await failureOf(() => new pg.Client({ host: '127.0.0.1', port }).connect());
    expect(failureKind(error)).toBe('transient');
  });

  it('TypeORM over pg: connection refused on initialize and on a query', async () => {
    const port = await closedPort();
    const dataSource = new DataSource({ type: 'postgres', host: '127.0.0.1', port, username: 'postgres' });
    expect(failureKind(await failureOf(() => dataSource.initialize()))).toBe('transient');
  });

  it('TypeORM over pg: a query cut by the server shutting down (QueryFailedError 57P01), or a lost connection', () => {
    const shutdown = withCode('terminating connection due to administrator command', '57P01');
    expect(failureKind(new QueryFailedError('SELECT 1', [], shutdown))).toBe('transient');
    expect(failureKind(new QueryFailedError('SELECT 1', [], withCode('no connection', '08006')))).toBe(
      'transient',
    );
    expect(failureKind(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(failureKind(new Error('timeout exceeded when trying to connect'))).toBe('transient');
  });

  it('the mongodb driver (MongoDB or FerretDB): server selection, network errors and retryable labels', async () => {
    const port = await closedPort();
    const client = new MongoClient(`mongodb://127.0.0.1:${port}/x`, { serverSelectionTimeoutMS: 200 });
    try {
      const error = await failureOf(() => client.db('x').collection('c').insertOne({ a: 1 }));
      expect(error).toBeInstanceOf(MongoServerSelectionError);
      expect(failureKind(error)).toBe('transient');
    } finally {
      await client.close();
    }
    expect(failureKind(new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'))).toBe('transient');
    const steppedDown = new MongoServerError({ message: 'shutting down', code: 91 });
    expect(failureKind(steppedDown)).toBe('transient');
    const labelled: MongoError = new MongoServerError({ message: 'write conflict', code: 112 });
    labelled.addErrorLabel('TransientTransactionError');
    expect(failureKind(labelled)).toBe('transient');
  });

  it('kafkajs: a retriable error, and retries exhausted on one', () => {
    const connection = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
    expect(failureKind(connection)).toBe('transient');
    expect(
      failureKind(new KafkaJSNumberOfRetriesExceeded(connection, { retryCount: 5, retryTime: 1_000 })),
    ).toBe('transient');
  });

  it('a retriable AppError, an AggregateError of refused connections and a timeout', () => {
    expect(failureKind(unavailable('down'))).toBe('transient');
    const refused = withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED');
    expect(failureKind(new AggregateError([refused, refused]))).toBe('transient');
    expect(failureKind(new DOMException('The operation timed out', 'TimeoutError'))).toBe('transient');
  });
});

describe('failureKind: what a retry does not mend', () => {
  it('our non-retriable errors are permanent', () => {
    expect(failureKind(new AppError('BAD_USER_INPUT', 'no'))).toBe('permanent');
  });

  it('bugs and errors the drivers report about the request itself are unexpected', () => {
    expect(failureKind(new TypeError('x is undefined'))).toBe('unexpected');
    expect(failureKind(new QueryFailedError('INSERT', [], withCode('duplicate key', '23505')))).toBe(
      'unexpected',
    );
    expect(failureKind(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toBe(
      'unexpected',
    );
    expect(
      failureKind(
        new KafkaJSProtocolError(
          Object.assign(new Error('bad'), { type: 'INVALID_REQUEST', retriable: false }),
        ),
      ),
    ).toBe('unexpected');
    expect(failureKind('a string')).toBe('unexpected');
  });
});
