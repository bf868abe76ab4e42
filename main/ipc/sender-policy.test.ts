import { describe, expect, it } from 'vitest';
import { isTrustedSender, type SenderFacts } from './sender-policy.ts';

const page = 'app://station/index.html';
const trusted: SenderFacts = { frameUrl: 'app://station/index.html#cart', isMainFrame: true, webContentsId: 7, expectedWebContentsId: 7 };

describe('IPC sender policy', () => {
  it('trusts the main frame of the bound window showing its own page', () => {
    expect(isTrustedSender(trusted, page)).toBe(true);
  });

  it.each<[string, Partial<SenderFacts>]>([
    ['a destroyed or navigated frame', { frameUrl: undefined }],
    ['a subframe', { isMainFrame: false }],
    ['another window', { webContentsId: 8 }],
    ['a window that is gone', { expectedWebContentsId: undefined }],
    ['another page of our app', { frameUrl: 'app://station/simulator.html' }],
    ['a look-alike host', { frameUrl: 'app://station.evil/index.html' }],
    ['a prefix trick', { frameUrl: 'app://stationx/index.html' }],
    ['file://', { frameUrl: 'file:///index.html' }],
    ['a web origin', { frameUrl: 'https://station/index.html' }],
    ['garbage', { frameUrl: 'not a url' }],
  ])('refuses %s', (_what, change) => {
    expect(isTrustedSender({ ...trusted, ...change }, page)).toBe(false);
  });
});
