/**
 * A station process for the kill -9 tests: runs one micropay flow with a durable payment store
 * against the wallet platform, and is killed mid-flow by the test.
 *   node station-child.ts BASE_URL STORE_PATH OUT_TRADE_NO AUTH_CODE AMOUNT_MINOR
 */
import { runMicropay } from '../../../payments/wallet/micropay-flow.ts';
import { hmacKey } from '../../../payments/wallet/signature.ts';
import { createWalletClient } from '../../../payments/wallet/wallet-client.ts';
import { openWalletPaymentStore } from '../../../payments/wallet/wallet-payment-store.ts';

const [baseUrl, storePath, outTradeNo, authCode, amount] = process.argv.slice(2) as [string, string, string, string, string];
const key = hmacKey('B78B219AE8BDB32B3C00F4966A66729B75B855B5A1D6FD18C5851664F61400D1');
const client = createWalletClient({ baseUrl, mchid: '1900000001', signing: key, platformKey: key, timeoutMs: 2_000 });
const store = openWalletPaymentStore(storePath);
const outcome = await runMicropay({ client, store }, { out_trade_no: outTradeNo, description: 'Groceries', amount: { total: Number(amount), currency: 'CNY' }, auth_code: authCode }, {
  queryDelaysMs: [50],
  limitMs: 600_000,
  reverseRetryDelaysMs: [50],
});
process.stdout.write(`${JSON.stringify(outcome)}\n`);
client.dispose();
store.close();
