/**
 * The simulated-devices panel's handlers: they act on the virtual hardware (swipe a card through the
 * reader head, press a key on the PIN pad's keypad) exactly as a person at the counter would.
 */
import type { SimulatorContract } from '../../common/ipc/simulator-contract.ts';
import type { TestDeckCard } from '../../common/test-deck.ts';
import type { VirtualCardReader } from '../../peripherals/card-reader/virtual-card-reader.ts';
import type { VirtualPinPad } from '../../peripherals/pin-pad/virtual-pin-pad.ts';
import { IpcRejection, type Handlers } from '../ipc/dispatcher.ts';
import { describeTestCard } from './test-cards.ts';

export function simulatorHandlers(deck: readonly TestDeckCard[], reader: VirtualCardReader, pinPad: VirtualPinPad): Handlers<SimulatorContract> {
  return {
    listTestCards: () => deck.map(describeTestCard),
    swipeCard: ({ cardId, fault }) => {
      const card = deck.find((candidate) => candidate.id === cardId);
      if (!card) throw new IpcRejection('not_found', `no test card ${cardId}`);
      if (!reader.attached) throw new IpcRejection('unavailable', 'the virtual card reader is unplugged');
      reader.swipe(card, fault);
      return { swiped: true };
    },
    pressPinPadKey: ({ key }) => ({ accepted: pinPad.pressKey(key) }),
  };
}
