/**
 * Where the customer display's window goes: full screen on the second display when the counter PC
 * has one (the screen facing the customer), otherwise a window of its own on the one display, which
 * the merchant may move. Behind this small interface so it is tested with a fake `screen`; only
 * main.ts hands it Electron's.
 */
import { secondDisplay, type DisplayArea } from './kiosk.ts';

export interface ScreenPort {
  getAllDisplays(): readonly DisplayArea[];
  getPrimaryDisplay(): DisplayArea;
}

export interface PlaceableWindow {
  setBounds(bounds: DisplayArea['workArea']): void;
  setFullScreen(flag: boolean): void;
}

export type DisplayPlacement = { readonly on: 'second_display'; readonly displayId: number } | { readonly on: 'primary_display' };

export function placeCustomerDisplay(window: PlaceableWindow, screen: ScreenPort): DisplayPlacement {
  const customerScreen = secondDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay());
  if (customerScreen === undefined) return { on: 'primary_display' };
  // Bounds first: a window goes full screen on the display it is on.
  window.setBounds(customerScreen.workArea);
  window.setFullScreen(true);
  return { on: 'second_display', displayId: customerScreen.id };
}
