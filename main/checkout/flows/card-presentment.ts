/**
 * How a card tender learns how the card came in: every card source (the magstripe reader today; a
 * chip/contactless reader next) races, and the first presentment wins; its entry mode picks the
 * flow (flow-registry.ts): the stripe reader's swipes (magstripe) and the chip reader's insertions
 * (chip) and taps (contactless). A source added later (addSource) takes part in every card tender from
 * then on, without any flow or other source changing.
 */
import type { SwipedCard } from '../../../common/card/swiped-card.ts';
import type { CardReaderPort, ChipReaderPort, PresentedChipCard } from '../ports.ts';
import type { PresentmentSource } from './flow-registry.ts';
import type { Presentment } from './tender-flow.ts';

export class CardPresentment {
  readonly #sources: PresentmentSource[] = [];

  addSource(source: PresentmentSource): void {
    this.#sources.push(source);
  }

  /** Resolves with the first card presented to any source; the others stop waiting. */
  readonly next: PresentmentSource = async (signal, onBadRead) => {
    if (this.#sources.length === 0) throw new Error('no card source is registered');
    const race = new AbortController();
    const abort = () => race.abort(signal.reason);
    signal.addEventListener('abort', abort);
    try {
      return await Promise.any(this.#sources.map((source) => source(race.signal, onBadRead)));
    } catch (error) {
      // Every source gave up: the first one's reason (the cashier's cancel, usually) stands.
      throw error instanceof AggregateError ? error.errors[0] : error;
    } finally {
      signal.removeEventListener('abort', abort);
      race.abort(new Error('another source was presented the card'));
    }
  };
}

/** Insertions and taps on the chip reader: the entry mode is the slot's (contact: chip, contactless field: contactless). */
export function chipSource(reader: ChipReaderPort): PresentmentSource {
  return async (signal): Promise<Presentment<PresentedChipCard>> => {
    const card = await reader.nextChipCard(signal);
    return { entryMode: card.cardInterface === 'contact' ? 'chip' : 'contactless', data: card };
  };
}

/** Swipes on whichever device reads stripes: a plain reader (clear) or the PIN pad's head (encrypted). */
export function magstripeSource(reader: CardReaderPort): PresentmentSource {
  return async (signal, onBadRead): Promise<Presentment<SwipedCard>> => ({ entryMode: 'magstripe', data: await reader.nextCard(signal, onBadRead) });
}
