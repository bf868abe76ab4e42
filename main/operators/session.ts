/**
 * Who is at the till. A cashier signs in with an operator id and PIN (checked against the salted
 * hash, operators-config.ts) and everything the till does is in their name. A supervisor standing
 * at the counter approves an action in place by typing their own id and PIN on the checkout screen,
 * without the cashier signing out; the cardholder's PIN pad is never used for it. Wrong PINs in a
 * row lock the operator id for a while, so a PIN cannot be guessed at the till.
 */
import { SaleError } from '../sales/sale-error.ts';
import type { SignedIn } from '../../common/shift.ts';
import type { Operator } from './operators-config.ts';
import { verifyPin } from './pin-hash.ts';

export interface Credentials {
  readonly operatorId: string;
  readonly pin: string;
}

export type { SignedIn };

/** Wrong PINs in a row before an operator id is locked, and for how long. */
export const PIN_FAILURES_BEFORE_LOCK = 5;
export const PIN_LOCK_MS = 5 * 60_000;

export class Session {
  readonly #operators: readonly Operator[];
  readonly #now: () => Date;
  readonly #failures = new Map<string, { count: number; lockedUntil: number }>();
  readonly #listeners = new Set<(operator: SignedIn | undefined) => void>();
  #current: SignedIn | undefined;

  constructor(operators: readonly Operator[], now: () => Date = () => new Date()) {
    this.#operators = operators;
    this.#now = now;
  }

  get operator(): SignedIn | undefined {
    return this.#current;
  }

  async signIn(credentials: Credentials): Promise<SignedIn> {
    const operator = await this.#check(credentials);
    this.#current = { id: operator.id, name: operator.name, role: operator.role };
    this.notify();
    return this.#current;
  }

  signOut(): SignedIn | undefined {
    const was = this.#current;
    this.#current = undefined;
    this.notify();
    return was;
  }

  requireOperator(): SignedIn {
    if (!this.#current) throw new SaleError('forbidden', 'sign in first');
    return this.#current;
  }

  /** A supervisor's approval, given by their own id and PIN; the caller journals it with the action. */
  async approve(credentials: Credentials | undefined, what: string): Promise<SignedIn> {
    if (!credentials) throw new SaleError('forbidden', `${what} needs a supervisor's approval`);
    const operator = await this.#check(credentials);
    if (operator.role !== 'supervisor') throw new SaleError('forbidden', `${operator.name} (${operator.id}) is not a supervisor: ${what} needs one`);
    return { id: operator.id, name: operator.name, role: operator.role };
  }

  /** Tells the listeners the session changed around the operator (a shift opened or closed). */
  notify(): void {
    for (const listener of this.#listeners) listener(this.#current);
  }

  onChange(listener: (operator: SignedIn | undefined) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #check({ operatorId, pin }: Credentials): Promise<Operator> {
    const now = this.#now().getTime();
    const failures = this.#failures.get(operatorId);
    if (failures && failures.lockedUntil > now) throw new SaleError('forbidden', `operator ${operatorId} is locked after ${PIN_FAILURES_BEFORE_LOCK} wrong PINs; try again later`);
    const operator = this.#operators.find((candidate) => candidate.id === operatorId);
    // An unknown id costs a hash too, so the time taken does not tell which ids exist.
    const good = await verifyPin(pin, operator?.pinHash ?? this.#operators[0]!.pinHash);
    if (operator && good) {
      this.#failures.delete(operatorId);
      return operator;
    }
    const count = (failures && failures.lockedUntil <= now && failures.count >= PIN_FAILURES_BEFORE_LOCK ? 0 : (failures?.count ?? 0)) + 1;
    this.#failures.set(operatorId, { count, lockedUntil: count >= PIN_FAILURES_BEFORE_LOCK ? now + PIN_LOCK_MS : 0 });
    throw new SaleError('forbidden', 'wrong operator id or PIN');
  }
}
