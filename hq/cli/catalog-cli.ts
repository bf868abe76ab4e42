/**
 * The catalog and prices at the head office; every change publishes a new price-list version that
 * the stations fetch.
 *   npm run hq:catalog -- show [--json]
 *   npm run hq:catalog -- import FILE.json [--note TEXT]   (a JSON array of catalog items: the whole catalog)
 *   npm run hq:catalog -- set-price SKU AMOUNT_MINOR [--note TEXT]
 *   npm run hq:catalog -- deactivate SKU [--note TEXT]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ProductSchema } from '../../common/catalog.ts';
import { formatMinorPlain } from '../../common/money.ts';
import { latestPriceList, publishPriceList } from '../catalog/price-lists.ts';
import { runCli, withHqDatabase } from './cli-database.ts';

const USAGE = 'usage: npm run hq:catalog -- show [--json] | import FILE.json | set-price SKU AMOUNT_MINOR | deactivate SKU  [--note TEXT]';

runCli(async () => {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' }, note: { type: 'string' } } });
  const [command, first, second] = positionals;
  const note = values.note ?? '';
  await withHqDatabase(async ({ office }) => {
    if (command === 'show') {
      const list = await latestPriceList(office);
      if (!list) return console.log('No price list published yet.');
      if (values.json) return console.log(JSON.stringify(list, null, 2));
      console.log(`Price list version ${list.version}, published ${list.publishedAt}${list.note ? ` (${list.note})` : ''}`);
      for (const item of list.items) {
        console.log(`${item.sku.padEnd(12)} ${formatMinorPlain(item.price).padStart(10)} ${item.price.currency}  VAT ${item.vatRateBp / 100}%  ${item.active ? '' : '[inactive] '}${item.name['zh-CN']} / ${item.name.en}`);
      }
      return;
    }
    let published;
    if (command === 'import' && first) {
      const parsed = z.array(ProductSchema).safeParse(JSON.parse(readFileSync(first, 'utf8')));
      if (!parsed.success) throw new Error(`${first} is not a list of catalog items:\n${z.prettifyError(parsed.error)}`);
      published = await publishPriceList(office, { upsert: parsed.data, replaceAll: true, note: note || `import of ${first}` });
    } else if (command === 'set-price' && first && second && /^\d+$/.test(second)) {
      const current = (await latestPriceList(office))?.items.find((item) => item.sku === first);
      if (!current) throw new Error(`no item with SKU ${first}`);
      published = await publishPriceList(office, { upsert: [{ ...current, price: { ...current.price, amountMinor: Number(second) } }], note: note || `${first} now ${second}` });
    } else if (command === 'deactivate' && first) {
      published = await publishPriceList(office, { deactivate: [first], note: note || `${first} deactivated` });
    } else {
      throw new Error(USAGE);
    }
    console.log(`Published price list version ${published.version} (${published.items.length} items).`);
  });
});
