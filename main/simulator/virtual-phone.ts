/**
 * The simulated-devices panel's virtual phone: the customer's wallet app for a test wallet, talking
 * to the wallet platform's app API the way a real phone would (signed with the wallet's own key).
 *   - it "scans" the station's merchant-presented code (the one the checkout and the customer
 *     display show now, or a payload given): the app parses it and checks the CRC, the fields, the
 *     currency and the template before anything is sent, and shows what the customer would see;
 *   - it pays it, with the payment password when the wallet asks for one;
 *   - it shows a fresh payment code (18 digits, time-limited, single use) for the cashier to scan;
 *   - it confirms a customer-presented payment waiting for the password ("user paying").
 * Refusals (a bad code, a wrong password, an expired order) come back as `problem`, in the words of
 * the phone or the platform. Test wallets only (bank/deck/test-wallets.json).
 */
import { readFileSync } from 'node:fs';
import { TestWalletDeckSchema, type TestWallet } from '../../common/test-wallets.ts';
import { createWalletAppClient, type WalletAppClient } from '../../payments/wallet/wallet-app-client.ts';
import type { ApiOutcome } from '../../payments/wallet/wallet-client.ts';

export interface PhoneOutcome<T> {
  readonly value?: T;
  readonly problem?: string;
}

export interface VirtualPhone {
  wallets(): readonly TestWallet[];
  scan(walletId: string, payload: string): Promise<PhoneOutcome<{ merchantName: string; amountMinor: number; orderCode: string; passwordRequired: boolean }>>;
  pay(walletId: string, orderCode: string, password?: string): Promise<PhoneOutcome<{ tradeState: string }>>;
  paymentCode(walletId: string): Promise<PhoneOutcome<{ code: string; expiresAt: string }>>;
  confirmPending(walletId: string, password: string): Promise<PhoneOutcome<{ tradeState: string }>>;
}

export function loadTestWallets(path: string): TestWallet[] {
  return TestWalletDeckSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).wallets;
}

export function createVirtualPhone(wallets: readonly TestWallet[], baseUrl: () => string | undefined): VirtualPhone {
  async function withApp<T>(walletId: string, use: (app: WalletAppClient) => Promise<PhoneOutcome<T>>): Promise<PhoneOutcome<T>> {
    const wallet = wallets.find((candidate) => candidate.id === walletId);
    if (wallet === undefined) return { problem: `no test wallet ${walletId}` };
    const url = baseUrl();
    if (url === undefined) return { problem: 'no wallet platform is running' };
    const app = createWalletAppClient({ baseUrl: url, userId: wallet.userId, appKey: wallet.appKey });
    try {
      return await use(app);
    } catch (error) {
      // The phone's own checks of a scanned code (QrPayloadError: bad CRC, unknown template, wrong currency, …).
      return { problem: error instanceof Error ? error.message : String(error) };
    } finally {
      app.dispose();
    }
  }
  return {
    wallets: () => wallets,
    scan: (walletId, payload) =>
      withApp(walletId, async (app) =>
        answer(await app.scan(payload), (scanned) => ({ merchantName: scanned.order.merchant_name, amountMinor: scanned.order.amount.total, orderCode: scanned.orderCode, passwordRequired: scanned.order.password_required })),
      ),
    pay: (walletId, orderCode, password) => withApp(walletId, async (app) => answer(await app.payOrder(orderCode, password), (paid) => ({ tradeState: paid.trade_state }))),
    paymentCode: (walletId) => withApp(walletId, async (app) => answer(await app.issuePaymentCode(), (code) => ({ code: code.auth_code, expiresAt: code.expires_at }))),
    confirmPending: (walletId, password) =>
      withApp(walletId, async (app) => {
        const pending = await app.pending();
        if (pending.kind !== 'ok') return answer(pending, () => ({ tradeState: '' }));
        const waiting = pending.value.find((payment) => payment.transaction_id !== undefined);
        if (waiting === undefined) return { problem: 'no payment is waiting for the password' };
        return answer(await app.confirm(waiting.transaction_id!, password), (paid) => ({ tradeState: paid.trade_state }));
      }),
  };
}

function answer<A, T>(outcome: ApiOutcome<A>, map: (value: A) => T): PhoneOutcome<T> {
  if (outcome.kind === 'ok') return { value: map(outcome.value) };
  if (outcome.kind === 'refused') return { problem: `${outcome.error.code}: ${outcome.error.message}` };
  return { problem: `no answer from the wallet platform (${outcome.reason})` };
}
