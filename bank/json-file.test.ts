import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonPath, JsonFileError, readJsonFile } from './json-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'json-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const Schema = z.strictObject({ items: z.array(z.strictObject({ port: z.number().int() })) });

describe('readJsonFile', () => {
  it('returns the validated value', () => {
    expect(readJsonFile(file('ok.json', '{"items":[{"port":1}]}'), Schema, 'test file')).toEqual({ items: [{ port: 1 }] });
  });

  it('names the file and the JSON path of each bad value', () => {
    const path = file('bad.json', '{"items":[{"port":1},{"port":"x"}],"extra":true}');
    expect(() => readJsonFile(path, Schema, 'test file')).toThrow(JsonFileError);
    try {
      readJsonFile(path, Schema, 'test file');
    } catch (error) {
      expect((error as Error).message).toContain(`test file ${path} is invalid`);
      expect((error as Error).message).toContain('$.items[1].port:');
      expect((error as Error).message).toMatch(/\$: .*extra/);
    }
  });

  it('reports unreadable files and invalid JSON with the file name', () => {
    expect(() => readJsonFile(join(dir, 'missing.json'), Schema, 'test file')).toThrow(/cannot read test file .*missing\.json/);
    expect(() => readJsonFile(file('broken.json', '{"items": ['), Schema, 'test file')).toThrow(/broken\.json is not valid JSON/);
  });
});

describe('jsonPath', () => {
  it('writes object keys with dots and array indexes in brackets', () => {
    expect(jsonPath([])).toBe('$');
    expect(jsonPath(['cards', 3, 'account', 'balanceMinor'])).toBe('$.cards[3].account.balanceMinor');
  });
});
