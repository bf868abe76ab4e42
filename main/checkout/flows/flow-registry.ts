/**
 * Payment flows by tender type and entry mode (jPOS's TransactionManager: a flow per tender and
 * entry mode, not one loop with branches), and how each tender type is presented. A new way to pay
 * registers here; nothing that exists is edited:
 *
 *   registry.register(chipFlow)                         card × chip
 *   cardPresentment.addSource(chipReaderSource)         the chip reader's insertions race the swipes
 *   registry.setPresentment('qr', qrPresentment)        a tender type of its own
 *
 * docs/tender-flows.md has the full interface.
 */
import type { EntryMode, TenderType } from '../../../common/sale/model.ts';
import type { AnyTenderFlow, FlowOperation, Presentment } from './tender-flow.ts';

/** Waits until the customer presents the means of payment (or the signal aborts); `onBadRead` reports a failed attempt. */
export type PresentmentSource = (signal: AbortSignal, onBadRead: () => void) => Promise<Presentment>;

export class FlowRegistry {
  readonly #flows = new Map<string, AnyTenderFlow>();
  readonly #presentments = new Map<TenderType, PresentmentSource>();

  register(flow: AnyTenderFlow): void {
    const key = `${flow.tender}:${flow.entryMode}`;
    if (this.#flows.has(key)) throw new Error(`a ${flow.tender} flow for ${flow.entryMode} is already registered`);
    this.#flows.set(key, flow);
  }

  /** The flow for a tender presented this way, if one is registered and runs this operation. */
  flowFor(tender: TenderType, entryMode: EntryMode, operation: FlowOperation): AnyTenderFlow | undefined {
    const flow = this.#flows.get(`${tender}:${entryMode}`);
    return flow?.operations.includes(operation) ? flow : undefined;
  }

  setPresentment(tender: TenderType, source: PresentmentSource): void {
    this.#presentments.set(tender, source);
  }

  presentmentFor(tender: TenderType): PresentmentSource {
    const source = this.#presentments.get(tender);
    if (!source) throw new Error(`no presentment is registered for ${tender} tenders`);
    return source;
  }
}
