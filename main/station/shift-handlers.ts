/** The checkout contract's session and shift methods: sign-in and out, the shift, cash movements, reports. */
import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import type { Handlers } from '../ipc/dispatcher.ts';
import type { CheckoutServices } from './checkout-services.ts';

type ShiftMethods = 'getSession' | 'signIn' | 'signOut' | 'openShift' | 'moveCash' | 'noSale' | 'getXReport' | 'printXReport' | 'closeShift';

export function shiftHandlers(services: CheckoutServices): Pick<Handlers<CheckoutContract>, ShiftMethods> {
  const { session, shifts, journal } = services;
  return {
    getSession: () => services.sessionState(),
    signIn: async (credentials) => {
      const operator = await session.signIn(credentials);
      journal.uow.emit({ type: 'operator.signed_in', at: new Date().toISOString(), operatorId: operator.id, role: operator.role });
      return services.sessionState();
    },
    signOut: () => {
      const was = session.signOut();
      if (was) journal.uow.emit({ type: 'operator.signed_out', at: new Date().toISOString(), operatorId: was.id });
      return services.sessionState();
    },
    openShift: ({ floatMinor }) => {
      const shift = shifts.open(floatMinor);
      session.notify();
      return shift;
    },
    moveCash: ({ kind, amountMinor, reason }) => shifts.moveCash(kind, amountMinor, reason),
    noSale: async ({ reason, approval }) => {
      await shifts.noSale(reason, approval);
      return { opened: true };
    },
    getXReport: () => shifts.xReport(),
    printXReport: () => shifts.printXReport(),
    closeShift: async ({ countedMinor }) => {
      const report = await shifts.close(countedMinor);
      session.notify();
      return report;
    },
  };
}
