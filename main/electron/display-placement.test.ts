import { describe, expect, it } from 'vitest';
import { placeCustomerDisplay, type PlaceableWindow, type ScreenPort } from './display-placement.ts';

const primary = { id: 1, workArea: { x: 0, y: 0, width: 1366, height: 728 } };
const customerFacing = { id: 7, workArea: { x: 1366, y: 0, width: 800, height: 480 } };

function fakeScreen(displays: readonly (typeof primary)[]): ScreenPort {
  return { getAllDisplays: () => displays, getPrimaryDisplay: () => primary };
}

function fakeWindow() {
  const calls: string[] = [];
  const window: PlaceableWindow = {
    setBounds: (bounds) => calls.push(`setBounds ${bounds.x},${bounds.y} ${bounds.width}×${bounds.height}`),
    setFullScreen: (flag) => calls.push(`setFullScreen ${flag}`),
  };
  return { window, calls };
}

describe('customer display placement', () => {
  it('goes full screen on the second display when there is one', () => {
    const { window, calls } = fakeWindow();
    expect(placeCustomerDisplay(window, fakeScreen([primary, customerFacing]))).toEqual({ on: 'second_display', displayId: 7 });
    expect(calls).toEqual(['setBounds 1366,0 800×480', 'setFullScreen true']);
  });

  it('picks the display that is not the primary one, whatever order the OS lists them in', () => {
    const { window } = fakeWindow();
    expect(placeCustomerDisplay(window, fakeScreen([customerFacing, primary]))).toEqual({ on: 'second_display', displayId: 7 });
  });

  it('stays a window of its own, untouched, on a single display', () => {
    const { window, calls } = fakeWindow();
    expect(placeCustomerDisplay(window, fakeScreen([primary]))).toEqual({ on: 'primary_display' });
    expect(calls).toEqual([]);
  });
});
