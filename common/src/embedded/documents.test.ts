import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DocumentDatabase } from './documents.js';
import { fromJson, toJson } from './json.js';

interface Note {
  _id: string;
  text: string;
  at: Date;
  tags: string[];
  meta: { edited: Date | null };
}

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'documents-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const note = (id: string, text: string): Note => ({
  _id: id,
  text,
  at: new Date('2025-01-02T03:04:05.678Z'),
  tags: ['a'],
  meta: { edited: null },
});

describe('DocumentDatabase', () => {
  it('keeps every write across a restart: write, close, reopen, read (Dates included)', () => {
    const file = join(tempDir(), 'db.json');
    const first = DocumentDatabase.open(file);
    const notes = first.collection<Note>('notes');
    notes.insert(note('n1', 'one'));
    notes.insert(note('n2', 'two'));
    notes.update('n1', (current) => current && { ...current, meta: { edited: new Date(0) } });
    first.collection<Note>('other').insert(note('x', 'elsewhere'));
    first.close();

    const reopened = DocumentDatabase.open(file);
    const again = reopened.collection<Note>('notes');
    expect(again.find().map((document) => document._id)).toEqual(['n1', 'n2']);
    expect(again.get('n1')).toEqual({ ...note('n1', 'one'), meta: { edited: new Date(0) } });
    expect(again.get('n1')?.at).toBeInstanceOf(Date);
    expect(reopened.collection<Note>('other').get('x')?.text).toBe('elsewhere');
    expect(readdirSync(join(file, '..'))).toEqual(['db.json']);
  });

  it('refuses a second document with the same id and leaves the first as it was', () => {
    const notes = DocumentDatabase.open().collection<Note>('notes');
    expect(notes.insert(note('n1', 'one'))).toBe(true);
    expect(notes.insert(note('n1', 'other'))).toBe(false);
    expect(notes.get('n1')?.text).toBe('one');
    expect(notes.size).toBe(1);
  });

  it('writes nothing when a change declines, and creates a document when a change returns one for a missing id', () => {
    const notes = DocumentDatabase.open().collection<Note>('notes');
    expect(notes.update('n1', () => undefined)).toBeUndefined();
    expect(notes.size).toBe(0);
    expect(notes.update('n1', (current) => current ?? note('n1', 'created'))?.text).toBe('created');
    expect(() => notes.update('n1', (current) => current && { ...current, _id: 'n2' })).toThrow(/_id/);
  });

  it('hands out copies: changing a read document changes nothing stored', () => {
    const notes = DocumentDatabase.open().collection<Note>('notes');
    const original = note('n1', 'one');
    notes.insert(original);
    original.tags.push('changed after insert');
    const read = notes.get('n1');
    read?.tags.push('changed after read');
    expect(notes.get('n1')?.tags).toEqual(['a']);
  });

  it('keeps memory equal to the file when a save fails', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    const notes = DocumentDatabase.open(join(dir, 'blocker', 'db.json')).collection<Note>('notes');
    expect(() => notes.insert(note('n1', 'one'))).toThrow();
    expect(notes.get('n1')).toBeUndefined();
  });

  it('refuses a file it did not write, and writes after close', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{"hello": 1}');
    expect(() => DocumentDatabase.open(join(dir, 'bad.json'))).toThrow(/not a document database/);
    const database = DocumentDatabase.open(join(dir, 'db.json'));
    database.close();
    expect(() => database.collection<Note>('notes').insert(note('n1', 'one'))).toThrow(/closed/);
  });
});

describe('toJson / fromJson', () => {
  it('round-trips Dates at any depth and leaves other values alone', () => {
    const value = { at: new Date(1), list: [new Date(2), { deep: new Date(3) }], n: 1, s: 's', nil: null };
    expect(fromJson(toJson(value))).toEqual(value);
  });
});
