/**
 * The host's risk rules on wallet payments: each rule has its own test wallet that shows it firing
 * (RISK_DECLINED, in the host's risk log like a card's), wallet-standard is watched by every rule,
 * and the demo wallets stay approved all day whatever a demo does with them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWalletTestHost, type WalletTestHost } from './wallet-test-host.ts';

let host: WalletTestHost;
let sequence = 0;

beforeEach(async () => {
  host = await startWalletTestHost();
});
afterEach(async () => host.close());

/** One micropay; its answer's code: SUCCESS, or the refusal's. */
async function pay(walletId: string, total: number, terminalId = 'POS00001'): Promise<string> {
  const code = await host.phone(walletId).issuePaymentCode();
  if (code.kind !== 'ok') throw new Error('no code');
  const answer = await host.merchant().micropay({ out_trade_no: `R${String(++sequence).padStart(8, '0')}`, description: 'Groceries', amount: { total, currency: 'CNY' }, auth_code: code.value.auth_code, terminal_id: terminalId });
  if (answer.kind === 'ok') return answer.value.trade_state;
  if (answer.kind === 'refused') return answer.error.code;
  throw new Error(answer.reason);
}

async function payMany(walletId: string, count: number, total: number, terminalId?: string): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) codes.push(await pay(walletId, total, terminalId));
  return codes;
}

describe('risk rules on wallet payments', () => {
  it('card-velocity-10m: the 11th payment within 10 minutes is declined, and the risk log says why', async () => {
    expect(await payMany('wallet-risk-velocity', 10, 100)).toEqual(Array(10).fill('SUCCESS'));
    expect(await pay('wallet-risk-velocity', 100)).toBe('RISK_DECLINED');
    const [row] = host.query<{ masked_pan: string; decision: string; response_code: string; reasons: string }>("SELECT masked_pan, decision, response_code, reasons FROM risk_log WHERE decision <> 'approve' ORDER BY id DESC LIMIT 1");
    expect(row).toMatchObject({ masked_pan: '208800******0006', decision: 'decline-59', response_code: '59' });
    expect(row!.reasons).toMatch(/card-velocity-10m: 11 card approvals in 600s/);
    host.advance(601_000);
    expect(await pay('wallet-risk-velocity', 100)).toBe('SUCCESS');
  });

  it('amount-above-history: more than 10 × the median of its last payments', async () => {
    expect(await payMany('wallet-risk-history', 5, 100)).toEqual(Array(5).fill('SUCCESS'));
    expect(await pay('wallet-risk-history', 1_001)).toBe('RISK_DECLINED');
    expect(await pay('wallet-risk-history', 1_000)).toBe('SUCCESS');
  });

  it('repeated-declines-15m: after 5 declines even a payment it can afford is declined', async () => {
    expect(await payMany('wallet-risk-declines', 5, 5_000)).toEqual(Array(5).fill('NOT_ENOUGH'));
    expect(await pay('wallet-risk-declines', 100)).toBe('RISK_DECLINED');
  });

  it('card-many-terminals-10m: a 4th terminal within 10 minutes', async () => {
    for (const terminal of ['POS00001', 'POS00002', 'POS00003']) expect(await pay('wallet-risk-terminals', 100, terminal)).toBe('SUCCESS');
    expect(await pay('wallet-risk-terminals', 100, 'POS00004')).toBe('RISK_DECLINED');
  });

  it('terminal-velocity-1m: a terminal past 60 payments a minute', async () => {
    expect(await payMany('wallet-demo', 60, 100, 'LANE0001')).toEqual(Array(60).fill('SUCCESS'));
    expect(await pay('wallet-risk-terminal', 100, 'LANE0001')).toBe('RISK_DECLINED');
    expect(await pay('wallet-risk-terminal', 100, 'LANE0002')).toBe('SUCCESS');
  });

  it('wallet-standard is watched by every rule', async () => {
    expect(await payMany('wallet-standard', 5, 100)).toEqual(Array(5).fill('SUCCESS'));
    expect(await pay('wallet-standard', 5_000)).toBe('RISK_DECLINED');
  });

  it('the demo wallets stay approved all day: bursts, spikes and many terminals', async () => {
    const codes = [...(await payMany('wallet-demo', 15, 100)), await pay('wallet-demo', 50_000), ...(await Promise.all(['T1', 'T2', 'T3', 'T4', 'T5'].map((terminal) => pay('wallet-demo', 100, terminal))))];
    expect(codes).toEqual(Array(21).fill('SUCCESS'));
  });
});
