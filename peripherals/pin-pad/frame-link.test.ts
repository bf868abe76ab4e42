import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACK, NAK } from './frame.ts';
import { ACK_TIMEOUT_MS, FrameLink, MAX_RETRANSMITS, PinPadLinkError } from './frame-link.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Two links wired back to back, with a hook to lose or damage bytes on the way. */
function pair(deliver: (bytes: Uint8Array, to: 'a' | 'b') => Uint8Array | undefined = (bytes) => bytes) {
  const received: { a: Uint8Array[]; b: Uint8Array[] } = { a: [], b: [] };
  const writes: { a: Uint8Array[]; b: Uint8Array[] } = { a: [], b: [] };
  const a: FrameLink = new FrameLink(async (bytes) => {
    writes.a.push(bytes);
    const arrived = deliver(bytes, 'b');
    if (arrived) received.b.push(...b.receive(arrived));
  });
  const b: FrameLink = new FrameLink(async (bytes) => {
    writes.b.push(bytes);
    const arrived = deliver(bytes, 'a');
    if (arrived) received.a.push(...a.receive(arrived));
  });
  return { a, b, received, writes };
}

const hello = new TextEncoder().encode('D1hello');

describe('PIN pad link', () => {
  it('delivers a frame and resolves the send on the ACK', async () => {
    const { a, received, writes } = pair();
    await a.send(hello);
    expect(received.b).toEqual([hello]);
    expect(writes.b).toEqual([Uint8Array.of(ACK)]);
  });

  it('retransmits after a NAK for a damaged frame', async () => {
    let damaged = false;
    const { a, received, writes } = pair((bytes, to) => {
      if (to === 'b' && bytes.length > 1 && !damaged) {
        damaged = true;
        const copy = Uint8Array.from(bytes);
        copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0x01;
        return copy;
      }
      return bytes;
    });
    await a.send(hello);
    expect(writes.b[0]).toEqual(Uint8Array.of(NAK));
    expect(writes.a).toHaveLength(2);
    expect(received.b).toEqual([hello]);
  });

  it('retransmits when no ACK comes within the timeout', async () => {
    let lost = 0;
    const { a, received, writes } = pair((bytes, to) => (to === 'b' && lost++ === 0 ? undefined : bytes));
    const sent = a.send(hello);
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS);
    await sent;
    expect(writes.a).toHaveLength(2);
    expect(received.b).toEqual([hello]);
  });

  it(`gives up with PinPadLinkError after ${MAX_RETRANSMITS} retransmits`, async () => {
    const { a, writes } = pair(() => undefined);
    const sent = a.send(hello);
    const failure = expect(sent).rejects.toThrow(PinPadLinkError);
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS * (MAX_RETRANSMITS + 1));
    await failure;
    expect(writes.a).toHaveLength(MAX_RETRANSMITS + 1);
  });

  it('sends queued frames one at a time, in order', async () => {
    const { a, received } = pair();
    await Promise.all([a.send(Uint8Array.of(0x31)), a.send(Uint8Array.of(0x32)), a.send(Uint8Array.of(0x33))]);
    expect(received.b.map((bytes) => bytes[0])).toEqual([0x31, 0x32, 0x33]);
  });

  it('fails everything waiting when closed', async () => {
    const { a } = pair(() => undefined);
    const first = a.send(hello);
    const second = a.send(hello);
    a.close(new Error('unplugged'));
    await expect(first).rejects.toThrow('unplugged');
    await expect(second).rejects.toThrow('unplugged');
  });
});
