/**
 * The simulated-devices panel's side of the station: its handlers, and the events that keep it in
 * step with the virtual hardware (the PIN pad's screen; cables, paper and cover, also when they
 * change on their own, as when the printer pulls its own cable mid-receipt); the virtual phone.
 */
import type { SimulatorContract } from '../../common/ipc/simulator-contract.ts';
import type { TestDeckCard } from '../../common/test-deck.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { StationDevices } from '../devices/station-devices.ts';
import type { Handlers } from '../ipc/dispatcher.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import { phoneHandlers } from './phone-handlers.ts';
import { scannerHandlers } from './scanner-handlers.ts';
import type { VirtualPhone } from './virtual-phone.ts';
import { simulatorHandlers, virtualDevicesState } from './simulator-handlers.ts';
import type { VirtualChipCards } from './virtual-chip-cards.ts';

export function connectSimulator(
  deck: readonly TestDeckCard[],
  devices: StationDevices,
  chipCards: VirtualChipCards,
  catalog: () => Catalog,
  events: EventBus<SimulatorContract>,
  phone: { readonly phone: VirtualPhone; readonly shownCode: () => string | undefined },
): { handlers: Handlers<SimulatorContract>; stop(): void } {
  const emitState = () => events.emit('virtualDevices', virtualDevicesState(devices, chipCards));
  const stops = [
    chipCards.watch(devices.virtualChipReader),
    // A card pulled out (or leaving by a fault) changes what the panel shows of the chip reader.
    devices.virtualChipReader.onSlotChange(() => emitState()),
    devices.virtualPinPad.onScreen((screen) => events.emit('pinPadDisplay', { ...screen, lines: [...screen.lines] })),
    // Cables are seen through the device status: every plug, unplug or change of source moves it.
    devices.onStatus(emitState),
  ];
  emitState();
  return { handlers: { ...simulatorHandlers(deck, devices, chipCards, emitState), ...scannerHandlers(devices, catalog), ...phoneHandlers(phone.phone, phone.shownCode) }, stop: () => stops.forEach((stop) => stop()) };
}
