/**
 * Reads a JSON file and validates it, failing with one message that names the file and, for each
 * problem, the JSON path of the bad value ("$.cards[3].pan"), so a typo in a hand-edited file is
 * found without a debugger. Messages quote paths and rules, never the values (a deck holds PANs).
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export class JsonFileError extends Error {
  override name = 'JsonFileError';
}

export function readJsonFile<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new JsonFileError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new JsonFileError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${jsonPath(issue.path)}: ${issue.message}`);
  throw new JsonFileError(`${what} ${path} is invalid:\n${problems.join('\n')}`);
}

/** ["cards", 3, "pan"] → "$.cards[3].pan" */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`), '$');
}
