/**
 * The rules the packages install parse as udev parses them (Debian 12's udevadm has no `verify`),
 * and the checker that says so rejects each kind of mistake in the bad fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UDEV_RULES_FILE } from './udev-rule.ts';
import { checkUdevRules } from './udev-rules-check.ts';

const root = resolve(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'udev');

describe('udev rules check', () => {
  it('passes the rules the packages install', () => {
    expect(checkUdevRules(readFileSync(join(root, UDEV_RULES_FILE), 'utf8'))).toEqual([]);
  });

  it('passes continued lines, GOTO and LABEL, imports and escaped quotes', () => {
    expect(checkUdevRules(readFileSync(join(fixtures, 'good.rules'), 'utf8'))).toEqual([]);
  });

  const expected: Record<string, RegExp> = {
    'unknown-key.rules': /^unknown key SUBSYTEM$/,
    'unterminated-value.rules': /quote is not closed/,
    'assigns-a-match-key.rules': /^SUBSYSTEM does not take = \(only == !=\)$/,
    'matches-an-assign-key.rules': /^MODE does not take == \(only = :=\)$/,
    'attribute-missing.rules': /^ATTR needs an \{attribute\}$/,
    'mode-not-octal.rules': /^MODE must be an octal mode/,
    'matches-only.rules': /assigns nothing/,
    'missing-comma.rules': /^expected a comma after SUBSYSTEM's value/,
    'unquoted-value.rules': /must be in double quotes/,
    'trailing-comma.rules': /nothing after the last comma/,
    'empty-group.rules': /^GROUP is empty$/,
    'unknown-operator.rules': /^MODE: expected an operator/,
  };

  it('has an expectation for every bad fixture', () => {
    expect(readdirSync(join(fixtures, 'bad')).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('rejects %s', (file, message) => {
    const text = readFileSync(join(fixtures, 'bad', file), 'utf8');
    const problems = checkUdevRules(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(message);
    // The line named is the rule's, comments above it counted.
    expect(text.split('\n')[problems[0]!.line - 1]).not.toMatch(/^#/);
  });
});
