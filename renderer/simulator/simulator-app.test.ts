// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../common/ipc/result.ts';
import { simulatorContract, type TestCard, type VirtualDevices } from '../../common/ipc/simulator-contract.ts';
import { createMemoryApi } from '../test-support/memory-api.ts';
import { mountApp } from '../test-support/mount-app.ts';
import type { AppLocale } from '../i18n/locales.ts';
import { simApi } from './sim-api.ts';
import SimulatorApp from './SimulatorApp.vue';

const testCards: TestCard[] = [
  { id: 'cup-ok', label: 'UnionPay debit', maskedPan: '621234******1232', scheme: 'unionpay', testPin: '123456' },
  { id: 'visa-nsf', label: 'Visa, no funds', maskedPan: '476173******0010', scheme: 'visa', testPin: '1234' },
];

const allPlugged: VirtualDevices = {
  devices: [
    { device: 'cardReader', plugged: true, inUse: true },
    { device: 'pinPad', plugged: true, inUse: true },
    { device: 'printer', plugged: true, inUse: true },
  ],
  printer: { paperOut: false, paperNearEnd: false, coverOpen: false, drawerOpen: false, unplugDuringNextReceipt: false },
  chipReader: {},
};

async function mountSimulator(swiped = true, locale: AppLocale = 'zh-CN') {
  let hardware = allPlugged;
  const fake = createMemoryApi(simulatorContract, {
    listTestCards: () => ok(testCards),
    swipeCard: () => ok({ swiped }),
    pressPinPadKey: () => ok({ accepted: true }),
    expirePinEntry: () => ok({ expired: true }),
    getVirtualDevices: () => ok(hardware),
    setDevicePlugged: ({ device, plugged }) => {
      hardware = { ...hardware, devices: hardware.devices.map((entry) => (entry.device === device ? { ...entry, plugged } : entry)) };
      return ok(hardware);
    },
    setPrinterCondition: (condition) => {
      hardware = { ...hardware, printer: { ...hardware.printer, ...condition } };
      return ok(hardware);
    },
    unplugPrinterDuringNextReceipt: () => {
      hardware = { ...hardware, printer: { ...hardware.printer, unplugDuringNextReceipt: true } };
      return ok(hardware);
    },
  });
  const mounted = mountApp(SimulatorApp, { key: simApi.key, api: fake.api }, { locale });
  await flushPromises();
  return { ...mounted, fake };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('simulated devices page', () => {
  it('lists the test cards and swipes them cleanly or with a bad read', async () => {
    const { wrapper, fake } = await mountSimulator();
    const card = wrapper.get('[data-testid="test-card-cup-ok"]');
    expect(card.text()).toContain('UnionPay debit');
    expect(card.text()).toContain('621234******1232');
    expect(card.text()).toContain('银联');
    expect(card.text()).toContain('123456');

    await wrapper.get('[data-testid="swipe-cup-ok"]').trigger('click');
    await wrapper.get('[data-testid="bad-read-visa-nsf"]').trigger('click');
    await flushPromises();
    expect(fake.callsTo('swipeCard')).toEqual([
      { cardId: 'cup-ok', fault: 'none' },
      { cardId: 'visa-nsf', fault: 'bad_read' },
    ]);
    expect(wrapper.find('[data-testid="swipe-ignored"]').exists()).toBe(false);
  });

  it('says so when the station is not using the virtual reader', async () => {
    const { wrapper } = await mountSimulator(false);
    await wrapper.get('[data-testid="swipe-cup-ok"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="swipe-ignored"]').text()).toContain('收银站没有使用虚拟读卡器');
  });

  it('sends every keypad press to the PIN pad', async () => {
    const { wrapper, fake } = await mountSimulator();
    for (const key of ['1', '9', '0', 'clear', 'cancel', 'enter']) {
      await wrapper.get(`[data-testid="pinpad-key-${key}"]`).trigger('click');
    }
    await flushPromises();
    expect(fake.callsTo('pressPinPadKey')).toEqual([{ key: '1' }, { key: '9' }, { key: '0' }, { key: 'clear' }, { key: 'cancel' }, { key: 'enter' }]);
    expect(wrapper.findAll('[data-testid^="pinpad-key-"]')).toHaveLength(13);
  });

  it('takes digits, Enter, Backspace and Escape from the physical keyboard', async () => {
    const { fake } = await mountSimulator();
    for (const key of ['4', 'Enter', 'Backspace', 'Escape', 'a']) {
      window.dispatchEvent(new KeyboardEvent('keydown', { key }));
    }
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '5', repeat: true }));
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '6', ctrlKey: true }));
    await flushPromises();
    expect(fake.callsTo('pressPinPadKey')).toEqual([{ key: '4' }, { key: 'enter' }, { key: 'clear' }, { key: 'cancel' }]);
  });

  it('stops listening to the keyboard when unmounted', async () => {
    const { wrapper, fake } = await mountSimulator();
    wrapper.unmount();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '4' }));
    await flushPromises();
    expect(fake.callsTo('pressPinPadKey')).toEqual([]);
    expect(fake.listenerCount('pinPadDisplay')).toBe(0);
  });

  it('mirrors the PIN pad display with the digit count as asterisks', async () => {
    const { wrapper, fake } = await mountSimulator();
    fake.emit('pinPadDisplay', { lines: ['AMOUNT CNY 6.49', 'ENTER PIN'], pinDigits: 3, awaitingPin: true });
    await flushPromises();
    const display = wrapper.get('[data-testid="pinpad-display"]');
    expect(display.text()).toContain('AMOUNT CNY 6.49');
    expect(display.text()).toContain('ENTER PIN');
    expect(wrapper.get('[data-testid="pinpad-digits"]').text()).toBe('***');
  });

  it('is titled and explained in the chosen language', async () => {
    const { wrapper } = await mountSimulator(true, 'en');
    expect(wrapper.get('[data-testid="simulator-title"]').text()).toBe('Simulated devices');
    expect(wrapper.get('[data-testid="pinpad-note"]').text()).toContain('encrypts the PIN block itself');
    await wrapper.get('[data-testid="locale-toggle"]').trigger('click');
    expect(wrapper.get('[data-testid="simulator-title"]').text()).toBe('模拟设备');
    expect(wrapper.get('[data-testid="pinpad-key-enter"]').text()).toBe('确认');
  });

  it('swipes a card half way', async () => {
    const { wrapper, fake } = await mountSimulator();
    await wrapper.get('[data-testid="partial-swipe-cup-ok"]').trigger('click');
    await flushPromises();
    expect(fake.callsTo('swipeCard')).toEqual([{ cardId: 'cup-ok', fault: 'partial_track' }]);
  });

  it('unplugs and plugs each device, showing its cable', async () => {
    const { wrapper, fake } = await mountSimulator(true, 'en');
    expect(wrapper.get('[data-testid="virtual-printer"]').text()).toContain('Plugged in');
    await wrapper.get('[data-testid="unplug-printer"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="virtual-printer"]').attributes('data-plugged')).toBe('false');
    await wrapper.get('[data-testid="plug-printer"]').trigger('click');
    await wrapper.get('[data-testid="unplug-cardReader"]').trigger('click');
    await flushPromises();
    expect(fake.callsTo('setDevicePlugged')).toEqual([
      { device: 'printer', plugged: false },
      { device: 'printer', plugged: true },
      { device: 'cardReader', plugged: false },
    ]);
  });

  it('takes the paper out, opens the cover and arms an unplug during the next receipt', async () => {
    const { wrapper, fake } = await mountSimulator(true, 'en');
    await wrapper.get('[data-testid="printer-paperOut"]').setValue(true);
    await wrapper.get('[data-testid="printer-coverOpen"]').setValue(true);
    await wrapper.get('[data-testid="printer-unplug-next-receipt"]').trigger('click');
    await flushPromises();
    expect(fake.callsTo('setPrinterCondition')).toEqual([{ paperOut: true }, { coverOpen: true }]);
    expect(fake.callsTo('unplugPrinterDuringNextReceipt')).toEqual([{}]);
    expect(wrapper.get('[data-testid="printer-unplug-armed"]').text()).toContain('next receipt');
    expect(wrapper.get('[data-testid="printer-unplug-next-receipt"]').attributes('disabled')).toBeDefined();
  });

  it('offers the PIN pad timeout only while the pad waits for a PIN', async () => {
    const { wrapper, fake } = await mountSimulator();
    expect(wrapper.get('[data-testid="pinpad-timeout"]').attributes('disabled')).toBeDefined();
    fake.emit('pinPadDisplay', { lines: ['CNY 6.49', 'ENTER PIN'], pinDigits: 0, awaitingPin: true });
    await flushPromises();
    await wrapper.get('[data-testid="pinpad-timeout"]').trigger('click');
    await flushPromises();
    expect(fake.callsTo('expirePinEntry')).toEqual([{}]);
  });

  it('follows hardware changes made elsewhere, and says which virtual devices the station does not use', async () => {
    const { wrapper, fake } = await mountSimulator(true, 'en');
    fake.emit('virtualDevices', { ...allPlugged, devices: allPlugged.devices.map((entry) => (entry.device === 'printer' ? { ...entry, plugged: false, inUse: false } : entry)) });
    await flushPromises();
    expect(wrapper.get('[data-testid="virtual-printer"]').text()).toContain('Unplugged');
    expect(wrapper.get('[data-testid="virtual-printer"]').text()).toContain('not using this virtual device');
    wrapper.unmount();
    expect(fake.listenerCount('virtualDevices')).toBe(0);
  });
});
