import { describe, expect, it, vi } from 'vitest';
import { money } from '../../common/money.ts';
import type { PinPadPort } from '../checkout/ports.ts';
import { refuseRealCardsOnVirtualPinPad, VirtualPinPadRefusedError } from './virtual-pin-pad-guard.ts';

const request = { pan: '6212345678901232', amount: money(100, 'CNY'), timeoutSeconds: 30, attempt: 1 };

function guarded(virtual: { cardReader: boolean; pinPad: boolean }) {
  const inner: PinPadPort = {
    requestPin: vi.fn(async () => ({ kind: 'cancelled' as const })),
    requestPinForReadCard: vi.fn(async () => ({ kind: 'cancelled' as const })),
    releaseReadCard: async () => undefined,
    onPinDigits: () => () => undefined,
  };
  return { inner, port: refuseRealCardsOnVirtualPinPad(inner, { usesVirtual: (kind) => (kind === 'cardReader' ? virtual.cardReader : kind === 'pinPad' ? virtual.pinPad : true) }) };
}

describe('virtual PIN pad guard', () => {
  it('refuses a PIN for a card a real reader read while the PIN pad is virtual', async () => {
    const { inner, port } = guarded({ cardReader: false, pinPad: true });
    await expect(port.requestPin(request, new AbortController().signal)).rejects.toThrow(VirtualPinPadRefusedError);
    expect(inner.requestPin).not.toHaveBeenCalled();
  });

  it.each([
    ['both virtual (demo mode)', { cardReader: true, pinPad: true }],
    ['both real', { cardReader: false, pinPad: false }],
    ['a virtual reader with a real PIN pad', { cardReader: true, pinPad: false }],
  ])('lets %s through', async (_what, virtual) => {
    const { inner, port } = guarded(virtual);
    await port.requestPin(request, new AbortController().signal);
    expect(inner.requestPin).toHaveBeenCalledOnce();
  });
});
