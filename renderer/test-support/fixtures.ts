/** Station data shaped like the real station's, small enough to reason about in a test. */
import type { LinkStatus } from '../../common/acquirer.ts';
import type { Product, StationInfo } from '../../common/ipc/checkout-contract.ts';
import type { DeviceStatus } from '../../common/devices.ts';
import type { PaymentProgress } from '../../common/payment.ts';

export const stationInfo: StationInfo = {
  merchantName: { 'zh-CN': '星光便利店', en: 'Starlight Mart' },
  merchantId: '123456789012345',
  terminalId: 'T0000001',
  currency: 'CNY',
  acceptedSchemes: ['unionpay', 'visa', 'mastercard'],
  deviceMode: 'virtual',
  acquirer: { host: '127.0.0.1', port: 8583, bundled: true },
  shell: 'browser',
};

export const catalog: Product[] = [
  { sku: 'TEA-001', name: { 'zh-CN': '乌龙茶', en: 'Oolong tea' }, price: { amountMinor: 350, currency: 'CNY' }, vatRateBp: 1300, category: 'drinks', active: true },
  { sku: 'BUN-002', name: { 'zh-CN': '肉包', en: 'Pork bun' }, price: { amountMinor: 299, currency: 'CNY' }, vatRateBp: 900, category: 'food', active: true },
  { sku: 'NOTE-003', name: { 'zh-CN': '笔记本', en: 'Notebook' }, price: { amountMinor: 1250, currency: 'CNY' }, vatRateBp: 1300, category: 'stationery', active: true },
];

export const devices: DeviceStatus[] = [
  { device: 'printer', state: 'ready', source: 'virtual', model: 'Virtual ESC/POS printer' },
  { device: 'cardReader', state: 'ready', source: 'usb', model: 'MagTek eDynamo' },
  { device: 'pinPad', state: 'ready', source: 'virtual', model: 'Virtual PIN pad' },
];

export const linkStatus: LinkStatus = { state: 'up', transport: 'tls', pendingReversals: 0 };

export function progress(step: PaymentProgress['step'], extra: Partial<PaymentProgress> = {}): PaymentProgress {
  return { paymentId: 'pay-1', kind: 'purchase', tenderType: 'card', step, amount: { amountMinor: 649, currency: 'CNY' }, ...extra };
}
