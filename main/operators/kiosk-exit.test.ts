/** Leaving kiosk mode takes a supervisor's own id and PIN, checked like every other approval; the shell lets go only then. */
import { describe, expect, it } from 'vitest';
import { SaleError } from '../sales/sale-error.ts';
import { exitKiosk, type KioskShell } from './kiosk-exit.ts';
import { DEMO_OPERATORS } from './operators-config.ts';
import { hashPin } from './pin-hash.ts';
import { PIN_FAILURES_BEFORE_LOCK, Session } from './session.ts';

const [CASHIER, SUPERVISOR] = DEMO_OPERATORS;

async function kiosk(locked = true, till: { holder: string | undefined } = { holder: undefined }) {
  const operators = await Promise.all(DEMO_OPERATORS.map(async ({ pin, ...operator }) => ({ ...operator, pinHash: await hashPin(pin) })));
  const session = new Session(operators);
  const left: string[] = [];
  const log: string[] = [];
  const shell: KioskShell = { locked: () => locked && left.length === 0, leave: (supervisor) => left.push(supervisor.id) };
  return { session, left, log, exit: (operatorId: string, pin: string) => exitKiosk({ session, shell, till, log: (line) => log.push(line) }, { operatorId, pin }) };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => (error instanceof SaleError ? { code: error.code, message: error.message } : error));

describe('leaving kiosk mode', () => {
  it('lets the shell go once a supervisor approves, and logs who approved it while whom was signed in', async () => {
    const station = await kiosk();
    await station.session.signIn({ operatorId: CASHIER.id, pin: CASHIER.pin });
    expect(await station.exit(SUPERVISOR.id, SUPERVISOR.pin)).toEqual({ exiting: true });
    expect(station.left).toEqual([SUPERVISOR.id]);
    expect(station.log).toEqual([`kiosk: leaving kiosk mode, approved by supervisor ${SUPERVISOR.name} (${SUPERVISOR.id}); ${CASHIER.name} (${CASHIER.id}) was signed in`]);
    // The cashier stays signed in: the approval is in place, like a void's.
    expect(station.session.operator?.id).toBe(CASHIER.id);
  });

  it('needs no cashier signed in (closing up at the sign-in screen)', async () => {
    const station = await kiosk();
    await station.exit(SUPERVISOR.id, SUPERVISOR.pin);
    expect(station.left).toEqual([SUPERVISOR.id]);
  });

  it('refuses a cashier, a wrong PIN and an unknown id, keeps the kiosk locked, and logs each refusal without the PIN', async () => {
    const station = await kiosk();
    expect(await refusal(station.exit(CASHIER.id, CASHIER.pin))).toEqual({ code: 'forbidden', message: `${CASHIER.name} (${CASHIER.id}) is not a supervisor: leaving kiosk mode needs one` });
    expect(await refusal(station.exit(SUPERVISOR.id, '0000'))).toEqual({ code: 'forbidden', message: 'wrong operator id or PIN' });
    expect(await refusal(station.exit('4242', SUPERVISOR.pin))).toEqual({ code: 'forbidden', message: 'wrong operator id or PIN' });
    expect(station.left).toEqual([]);
    expect(station.log).toHaveLength(3);
    for (const line of station.log) expect(line).toMatch(/^kiosk: leaving kiosk mode refused for operator \d+: /);
    expect(station.log.join('\n')).not.toMatch(/7391|2580|0000/);
  });

  it('locks the supervisor id after wrong PINs in a row, as every approval does', async () => {
    const station = await kiosk();
    for (let attempt = 0; attempt < PIN_FAILURES_BEFORE_LOCK; attempt++) await refusal(station.exit(SUPERVISOR.id, '0000'));
    expect(await refusal(station.exit(SUPERVISOR.id, SUPERVISOR.pin))).toMatchObject({ code: 'forbidden', message: expect.stringContaining('is locked') });
    expect(station.left).toEqual([]);
  });

  it('is refused, without spending a PIN try, when the station is not in kiosk mode (the browser target, or kiosk mode off)', async () => {
    const station = await kiosk(false);
    expect(await refusal(station.exit(SUPERVISOR.id, '0000'))).toEqual({ code: 'rejected', message: 'the station is not in kiosk mode' });
    const noShell = await refusal(exitKiosk({ session: station.session, shell: undefined, till: { holder: undefined }, log: () => {} }, { operatorId: SUPERVISOR.id, pin: SUPERVISOR.pin }));
    expect(noShell).toEqual({ code: 'rejected', message: 'the station is not in kiosk mode' });
    expect(station.log).toEqual([]);
  });

  it('is refused, without spending a PIN try, while the till is busy (a card payment waiting for the PIN), and goes once it is free', async () => {
    const till: { holder: string | undefined } = { holder: 'a card payment' };
    const station = await kiosk(true, till);
    expect(await refusal(station.exit(SUPERVISOR.id, '0000'))).toEqual({ code: 'busy', message: 'a card payment is in progress: finish or cancel it before leaving kiosk mode' });
    expect(station.left).toEqual([]);
    till.holder = undefined;
    await station.exit(SUPERVISOR.id, SUPERVISOR.pin);
    expect(station.left).toEqual([SUPERVISOR.id]);
  });
});
