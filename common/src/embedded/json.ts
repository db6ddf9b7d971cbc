/**
 * JSON that keeps Dates: a Date is written as `{ "$date": "<ISO string>" }` and read back as a
 * Date. Documents of this project never have keys starting with '$' (MongoDB forbids them too).
 */
export function toJson(value: unknown): string {
  return JSON.stringify(encode(value));
}

/** Parses what toJson wrote. */
export function fromJson(text: string): unknown {
  return decode(JSON.parse(text));
}

function encode(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encode(item)]));
  }
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first?.[0] === '$date' && typeof first[1] === 'string')
      return new Date(first[1]);
    return Object.fromEntries(entries.map(([key, item]) => [key, decode(item)]));
  }
  return value;
}
