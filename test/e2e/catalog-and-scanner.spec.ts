/**
 * A real catalog at the counter: a station whose data directory was given a 5,000-item catalog by
 * `npm run catalog:import`, searched and rung up at the checkout, and a barcode scanned with the
 * simulated-devices panel's virtual scanner (through its USB transfers), then paid for by card.
 * The station lives for the whole worker: every test leaves the cart empty.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeCatalogCsv, largeCatalogItems } from '../support/large-catalog.ts';
import { REPO_ROOT, startBrowserStationProcess, type BrowserStationProcess } from './fixtures/browser-station-process.ts';
import { expect, test as base } from './fixtures/station.ts';

const ITEMS = 5_000;
const items = largeCatalogItems(ITEMS);

const test = base.extend<object, { browserStation: BrowserStationProcess | undefined }>({
  browserStation: [
    async ({ target }, use) => {
      if (target !== 'browser') return use(undefined);
      const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-catalog-'));
      const file = join(dataDir, 'catalog.csv');
      writeFileSync(file, largeCatalogCsv(ITEMS));
      const imported = spawnSync(process.execPath, [join(REPO_ROOT, 'main', 'catalog', 'import-command.ts'), file, '--data', dataDir], { encoding: 'utf8' });
      if (imported.status !== 0) throw new Error(`catalog:import failed: ${imported.stderr}`);
      const station = await startBrowserStationProcess({ dataDir });
      await use(station);
      await station.stop();
    },
    { scope: 'worker' },
  ],
});

test.skip(({ target }) => target !== 'browser', 'the 5,000-item catalog is imported for the browser target');

test('searches a 5,000-item catalog by name, pinyin initials and SKU, adds items, and scrolls to the last one', async ({ station }) => {
  const { page } = station.checkout;
  await expect(page.getByTestId('catalog-count')).toHaveText(`显示 ${ITEMS} 件商品`); // the checkout starts in zh-CN
  const search = page.getByTestId('catalog-search');
  const target = items[4321]!; // 统一洗衣液（家庭装） 3

  await search.fill('uni-president laundry family');
  await expect(page.getByTestId(`product-${target.sku}`)).toBeVisible();
  await search.fill('tyxyy'); // the pinyin initials of 统一洗衣液
  const first = items.find((item) => item.nameZh.startsWith('统一洗衣液'))!;
  await expect(page.getByTestId('catalog-grid').locator('[data-testid^="product-"]').first()).toHaveAttribute('data-testid', `product-${first.sku}`);
  await search.fill(target.sku);
  await search.press('Enter');
  await expect(page.getByTestId(`cart-quantity-${target.sku}`)).toHaveText('1');
  await expect(search).toHaveValue('');
  await expect(page.getByTestId('cart-total')).toContainText((target.priceFen / 100).toFixed(2));

  const last = items[ITEMS - 1]!;
  await page.getByTestId('catalog-grid').evaluate((grid) => grid.scrollTo({ top: grid.scrollHeight }));
  await page.getByTestId(`product-${last.sku}`).click();
  await expect(page.getByTestId(`cart-quantity-${last.sku}`)).toHaveText('1');
  await expect(page.getByTestId(`product-${last.sku}`)).toContainText('1');

  await page.getByTestId(`cart-remove-${target.sku}`).click();
  await page.getByTestId(`cart-remove-${last.sku}`).click();
});

test('scans a barcode from the simulated-devices panel: the item is rung up, an unknown code is said so, and the scanned sale is paid', async ({ station }) => {
  const { checkout, simulator } = station;
  const item = items[6]!;
  await simulator.page.getByTestId('scan-search').fill(item.sku);
  await simulator.page.getByTestId(`scan-item-${item.sku}`).click();
  await expect(checkout.page.getByTestId(`cart-quantity-${item.sku}`)).toHaveText('1');
  const message = checkout.page.getByTestId('scan-message');
  await expect(message).toHaveAttribute('data-result', 'added');
  await expect(message).toContainText(item.nameZh);

  await simulator.page.getByTestId('scan-unknown').click();
  await expect(message).toHaveAttribute('data-result', 'unknown');
  await expect(message).toContainText('未知条码');
  await expect(checkout.page.locator('[data-testid^="cart-line-"]')).toHaveCount(1);

  await checkout.payByCard();
  await simulator.swipe('unionpay-debit-approved');
  await checkout.expectStep('enter_pin');
  await simulator.enterPin('123456');
  await checkout.expectStep('approved');
  await expect(checkout.receipt).toContainText(item.nameZh);
  await checkout.newSale();
});
