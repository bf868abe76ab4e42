/**
 * A syntax check for udev rules files, after udev(7) as of systemd 252 (Debian 12, whose udevadm has
 * no `verify`). It catches what makes udev ignore a rule or a whole line: an unknown key, an operator
 * the key does not take (MODE=="…", SUBSYSTEM="…"), a missing {attribute}, an unquoted or
 * unterminated value, pairs not separated by commas, a MODE that is not octal, and a rule that only
 * matches and never assigns anything (it does nothing).
 */

type Operator = '==' | '!=' | '=' | '+=' | '-=' | ':=';

interface KeySpec {
  readonly operators: readonly Operator[];
  readonly attribute: 'required' | 'optional' | 'none';
}

const MATCH: readonly Operator[] = ['==', '!='];
const KEYS: Readonly<Record<string, KeySpec>> = {
  ACTION: { operators: MATCH, attribute: 'none' },
  DEVPATH: { operators: MATCH, attribute: 'none' },
  KERNEL: { operators: MATCH, attribute: 'none' },
  KERNELS: { operators: MATCH, attribute: 'none' },
  SUBSYSTEM: { operators: MATCH, attribute: 'none' },
  SUBSYSTEMS: { operators: MATCH, attribute: 'none' },
  DRIVER: { operators: MATCH, attribute: 'none' },
  DRIVERS: { operators: MATCH, attribute: 'none' },
  TAGS: { operators: MATCH, attribute: 'none' },
  RESULT: { operators: MATCH, attribute: 'none' },
  ATTRS: { operators: MATCH, attribute: 'required' },
  CONST: { operators: MATCH, attribute: 'required' },
  TEST: { operators: MATCH, attribute: 'optional' },
  NAME: { operators: ['==', '!=', '=', ':='], attribute: 'none' },
  SYMLINK: { operators: ['==', '!=', '=', '+=', '-=', ':='], attribute: 'none' },
  TAG: { operators: ['==', '!=', '=', '+=', '-=', ':='], attribute: 'none' },
  ATTR: { operators: ['==', '!=', '='], attribute: 'required' },
  SYSCTL: { operators: ['==', '!=', '='], attribute: 'required' },
  ENV: { operators: ['==', '!=', '=', '+=', ':='], attribute: 'required' },
  PROGRAM: { operators: ['==', '!=', '='], attribute: 'none' },
  IMPORT: { operators: ['==', '!=', '='], attribute: 'required' },
  OWNER: { operators: ['=', ':='], attribute: 'none' },
  GROUP: { operators: ['=', ':='], attribute: 'none' },
  MODE: { operators: ['=', ':='], attribute: 'none' },
  SECLABEL: { operators: ['=', '+=', ':='], attribute: 'required' },
  RUN: { operators: ['=', '+=', ':='], attribute: 'optional' },
  LABEL: { operators: ['='], attribute: 'none' },
  GOTO: { operators: ['='], attribute: 'none' },
  OPTIONS: { operators: ['=', '+=', ':='], attribute: 'none' },
};

/** Keys that do something even as a match: running a program or importing properties, and labels. */
const EFFECTFUL = new Set(['PROGRAM', 'IMPORT', 'LABEL', 'GOTO']);
const OPERATORS: readonly Operator[] = ['==', '!=', '+=', '-=', ':=', '='];

export interface UdevRuleProblem {
  /** 1-based line of the rule (its first line, when continued with a backslash). */
  readonly line: number;
  readonly message: string;
}

interface Pair {
  readonly key: string;
  readonly attribute: string | undefined;
  readonly operator: Operator;
  readonly value: string;
}

function parseRule(text: string): Pair[] | string {
  const pairs: Pair[] = [];
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  for (;;) {
    skipSpace();
    const key = /^[A-Za-z_]+/.exec(text.slice(at))?.[0];
    if (key === undefined) return `expected a key at "${text.slice(at, at + 20)}"`;
    at += key.length;
    let attribute: string | undefined;
    if (text[at] === '{') {
      const close = text.indexOf('}', at);
      if (close < 0) return `${key}{ is not closed`;
      attribute = text.slice(at + 1, close);
      at = close + 1;
    }
    skipSpace();
    const operator = OPERATORS.find((candidate) => text.startsWith(candidate, at));
    if (operator === undefined) return `${key}: expected an operator (==, !=, =, +=, -=, :=) at "${text.slice(at, at + 10)}"`;
    at += operator.length;
    skipSpace();
    if (text[at] !== '"') return `${key}: the value must be in double quotes`;
    let end = at + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) return `${key}: the value's quote is not closed`;
    pairs.push({ key, attribute, operator, value: text.slice(at + 1, end) });
    at = end + 1;
    skipSpace();
    if (at >= text.length) return pairs;
    if (text[at] !== ',') return `expected a comma after ${key}'s value, found "${text.slice(at, at + 10)}"`;
    at++;
    skipSpace();
    if (at >= text.length) return 'nothing after the last comma';
  }
}

function checkPair(pair: Pair): string | undefined {
  const spec = KEYS[pair.key];
  if (spec === undefined) return `unknown key ${pair.key}`;
  if (spec.attribute === 'required' && !pair.attribute) return `${pair.key} needs an {attribute}`;
  if (spec.attribute === 'none' && pair.attribute !== undefined) return `${pair.key} takes no {attribute}`;
  if (!spec.operators.includes(pair.operator)) return `${pair.key} does not take ${pair.operator} (only ${spec.operators.join(' ')})`;
  if (pair.key === 'MODE' && !/^0?[0-7]{3,4}$/.test(pair.value)) return `MODE must be an octal mode like 0660, not "${pair.value}"`;
  if ((pair.key === 'GROUP' || pair.key === 'OWNER') && pair.value === '') return `${pair.key} is empty`;
  return undefined;
}

export function checkUdevRules(text: string): UdevRuleProblem[] {
  const problems: UdevRuleProblem[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const first = index + 1;
    let rule = lines[index]!;
    // A backslash at the end of a line continues the rule on the next one.
    while (rule.endsWith('\\') && index + 1 < lines.length) rule = `${rule.slice(0, -1)}${lines[++index]!}`;
    const trimmed = rule.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const parsed = parseRule(trimmed);
    if (typeof parsed === 'string') {
      problems.push({ line: first, message: parsed });
      continue;
    }
    const wrong = parsed.map(checkPair).find((message) => message !== undefined);
    if (wrong !== undefined) {
      problems.push({ line: first, message: wrong });
      continue;
    }
    const acts = parsed.some((pair) => EFFECTFUL.has(pair.key) || !MATCH.includes(pair.operator));
    if (!acts) problems.push({ line: first, message: 'the rule only matches: it assigns nothing, so it does nothing' });
  }
  return problems;
}
