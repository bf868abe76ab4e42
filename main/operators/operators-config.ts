/**
 * The station's operators: who may sign in at the till, with which role, and their PIN's hash.
 * `operators.json` in the data directory, created on first start with the demo's two operators
 * (README: cashier 1001 PIN 2580, supervisor 9001 PIN 7391); the merchant replaces them. A file with
 * a mistake is refused at start-up, like station.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { OPERATOR_ROLES } from '../../common/shift.ts';
import { ConfigError } from '../config/station-config.ts';
import { hashPin, PIN_HASH } from './pin-hash.ts';

export type OperatorRole = (typeof OPERATOR_ROLES)[number];

const OperatorSchema = z.strictObject({
  /** What the operator types to sign in. */
  id: z.string().regex(/^\d{3,8}$/, '3 to 8 digits'),
  name: z.string().min(1).max(40),
  role: z.enum(OPERATOR_ROLES),
  pinHash: z.string().regex(PIN_HASH, 'a scrypt hash (scrypt$N$r$p$salt$hash); never a PIN in clear'),
});
export type Operator = z.infer<typeof OperatorSchema>;

const OperatorsFileSchema = z.strictObject({ operators: z.array(OperatorSchema).min(1) }).refine((file) => new Set(file.operators.map((operator) => operator.id)).size === file.operators.length, 'operator ids must be unique');

/** The demo's operators and their test PINs (printed in the README; change them for real use). */
export const DEMO_OPERATORS = [
  { id: '1001', name: 'Li Na', role: 'cashier', pin: '2580' },
  { id: '9001', name: 'Wang Fang', role: 'supervisor', pin: '7391' },
] as const;

export async function loadOperators(path: string): Promise<Operator[]> {
  if (!existsSync(path)) {
    const operators = await Promise.all(DEMO_OPERATORS.map(async ({ pin, ...operator }) => ({ ...operator, pinHash: await hashPin(pin) })));
    writeFileSync(path, `${JSON.stringify({ operators }, null, 2)}\n`, { mode: 0o600 });
    return operators;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = OperatorsFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${path} is not a valid operators file:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`).join('\n')}`);
  return parsed.data.operators;
}
