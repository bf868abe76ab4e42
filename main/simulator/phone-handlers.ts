/** The simulator contract's virtual phone methods (virtual-phone.ts does the work). */
import type { SimulatorContract } from '../../common/ipc/simulator-contract.ts';
import type { Handlers } from '../ipc/dispatcher.ts';
import type { VirtualPhone } from './virtual-phone.ts';

type PhoneMethods = 'listWallets' | 'phoneScan' | 'phonePay' | 'phonePaymentCode' | 'phoneConfirm';
export type PhoneHandlers = Pick<Handlers<SimulatorContract>, PhoneMethods>;

/** `shownCode`: the merchant-presented payload the station shows now (what the phone's camera sees on the customer display). */
export function phoneHandlers(phone: VirtualPhone, shownCode: () => string | undefined): PhoneHandlers {
  return {
    listWallets: () =>
      phone.wallets().map((wallet) => ({ id: wallet.id, label: wallet.label, password: wallet.password, passwordAboveMinor: wallet.passwordAboveMinor, ...(wallet.expect === undefined ? {} : { expect: wallet.expect }) })),
    async phoneScan({ walletId, payload }) {
      const text = payload ?? shownCode();
      if (text === undefined) return { problem: 'the station shows no QR code now' };
      const { value, problem } = await phone.scan(walletId, text);
      return { ...value, ...(problem === undefined ? {} : { problem }) };
    },
    async phonePay({ walletId, orderCode, password }) {
      const { value, problem } = await phone.pay(walletId, orderCode, password);
      return { ...value, ...(problem === undefined ? {} : { problem }) };
    },
    async phonePaymentCode({ walletId }) {
      const { value, problem } = await phone.paymentCode(walletId);
      return { ...value, ...(problem === undefined ? {} : { problem }) };
    },
    async phoneConfirm({ walletId, password }) {
      const { value, problem } = await phone.confirmPending(walletId, password);
      return { ...value, ...(problem === undefined ? {} : { problem }) };
    },
  };
}
