/**
 * The test deck's chip cards as the simulated-devices panel holds them: each insert or tap puts a
 * virtual EMV card (payments/emv/card/) made from its card image into the virtual chip reader. The
 * cards' ATC and blocked flag persist in the data directory (virtual-chip-cards.json), so a card's
 * ATC goes on rising across runs as the bundled host's ATC register expects of a real card.
 */
import { join } from 'node:path';
import type { ChipCardImage } from '../../payments/emv/card/card-image.ts';
import { fileCardStateStore, loadChipCardImages } from '../../payments/emv/card/chip-card-images.ts';
import { VirtualEmvCard, type CardStateStore } from '../../payments/emv/card/virtual-emv-card.ts';
import { CONTACT_SLOT, type VirtualCcidReader } from '../../peripherals/ccid/virtual-ccid-reader.ts';

export class VirtualChipCards {
  readonly #images: ReadonlyMap<string, ChipCardImage>;
  readonly #store: CardStateStore;
  #inserted: string | undefined;

  constructor(images: readonly ChipCardImage[], store: CardStateStore) {
    this.#images = new Map(images.map((image) => [image.cardId, image]));
    this.#store = store;
  }

  /** The deck's chip cards (chip-cards.json beside the deck), their state in the data directory. */
  static load(deckDir: string, dataDir: string): VirtualChipCards {
    return new VirtualChipCards(loadChipCardImages(join(deckDir, 'chip-cards.json')), fileCardStateStore(join(dataDir, 'virtual-chip-cards.json')));
  }

  /** A card to put in the reader, or undefined when the deck card has no chip. */
  card(cardId: string): VirtualEmvCard | undefined {
    const image = this.#images.get(cardId);
    return image && new VirtualEmvCard(image, this.#store);
  }

  /** The card in the contact slot, as the panel shows it. */
  get insertedCardId(): string | undefined {
    return this.#inserted;
  }

  inserted(cardId: string): void {
    this.#inserted = cardId;
  }

  /** Keeps `insertedCardId` true when the card leaves the slot by itself (a fault, the reader unplugged). */
  watch(reader: VirtualCcidReader): () => void {
    return reader.onSlotChange((slot, present) => {
      if (slot === CONTACT_SLOT && !present) this.#inserted = undefined;
    });
  }
}
