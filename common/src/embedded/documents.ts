import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from './files.js';
import { fromJson, toJson } from './json.js';

/** Every stored document has a string id (UUIDs in this project), as in MongoDB. */
export interface StoredDocument {
  readonly _id: string;
}

const formatVersion = 1;

/**
 * An embedded document database: named collections of documents held in memory, saved whole to
 * one JSON file after every write (atomically: see writeFileAtomic), loaded again by `open`.
 *
 * Every operation is synchronous, so a write (a change and the events stored with it) is atomic
 * within the process and durable when it returns. Sized for a development machine's data.
 */
export class DocumentDatabase {
  private readonly collections = new Map<string, Map<string, StoredDocument>>();
  private closed = false;

  private constructor(readonly file: string | undefined) {}

  /** Opens the database kept in `file` (created on the first write); in memory when undefined. */
  static open(file?: string): DocumentDatabase {
    const database = new DocumentDatabase(file);
    if (file !== undefined && existsSync(file)) database.load(readFileSync(file, 'utf8'));
    return database;
  }

  /**
   * The collection `name`, created empty when new. T is trusted as the shape of the documents,
   * which only the code that writes the collection puts there: narrow them when read anyway.
   */
  collection<T extends StoredDocument>(name: string): DocumentCollection<T> {
    let documents = this.collections.get(name);
    if (!documents) this.collections.set(name, (documents = new Map<string, StoredDocument>()));
    return new DocumentCollection<T>(documents as Map<string, T>, () => this.save());
  }

  /** The names of the collections, in creation order. */
  collectionNames(): string[] {
    return [...this.collections.keys()];
  }

  /** Further writes throw; the file already holds every write. */
  close(): void {
    this.closed = true;
  }

  private save(): void {
    if (this.closed) throw new Error('The document database is closed');
    if (this.file === undefined) return;
    const collections = Object.fromEntries(
      [...this.collections].map(([name, documents]) => [name, [...documents.values()]]),
    );
    writeFileAtomic(this.file, toJson({ version: formatVersion, collections }));
  }

  private load(text: string): void {
    const content = fromJson(text);
    if (!isRecord(content) || content['version'] !== formatVersion || !isRecord(content['collections'])) {
      throw new Error(`${this.file ?? 'The document database'} is not a document database file`);
    }
    for (const [name, documents] of Object.entries(content['collections'])) {
      if (!Array.isArray(documents)) throw new Error(`Collection ${name} is not a list`);
      const byId = new Map<string, StoredDocument>();
      for (const document of documents) {
        if (!isRecord(document) || typeof document['_id'] !== 'string')
          throw new Error(`Collection ${name} holds a document without a string _id`);
        byId.set(document['_id'], document as unknown as StoredDocument);
      }
      this.collections.set(name, byId);
    }
  }
}

/**
 * One collection. Reads return copies and writes store copies, so no caller can change a stored
 * document behind the database's back. Iteration follows insertion order.
 */
export class DocumentCollection<T extends StoredDocument> {
  constructor(
    private readonly documents: Map<string, T>,
    private readonly save: () => void,
  ) {}

  get size(): number {
    return this.documents.size;
  }

  get(id: string): T | undefined {
    const document = this.documents.get(id);
    return document && structuredClone(document);
  }

  /** The documents matching `predicate` (every document without one), in insertion order. */
  find(predicate: (document: T) => boolean = () => true): T[] {
    return [...this.documents.values()].filter(predicate).map((document) => structuredClone(document));
  }

  /** Stores a new document; false (nothing written) when its id is taken. */
  insert(document: T): boolean {
    if (this.documents.has(document._id)) return false;
    this.commit(document._id, structuredClone(document));
    return true;
  }

  /**
   * Reads document `id` (undefined when missing), lets `change` compute its next version from a
   * copy, and stores that in one write. `change` returning undefined writes nothing. Resolves to
   * the stored document, or undefined when nothing was written.
   */
  update(id: string, change: (current: T | undefined) => T | undefined): T | undefined {
    const next = change(this.get(id));
    if (next === undefined) return undefined;
    if (next._id !== id) throw new Error(`A change of document ${id} may not change its _id`);
    this.commit(id, structuredClone(next));
    return structuredClone(next);
  }

  private commit(id: string, document: T): void {
    const previous = this.documents.get(id);
    this.documents.set(id, document);
    try {
      this.save();
    } catch (error) {
      // Not saved, not done: memory goes back to what the file holds.
      if (previous === undefined) this.documents.delete(id);
      else this.documents.set(id, previous);
      throw error;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
