import { describe, expect, it } from 'vitest';
import type { PriceList } from '../../common/head-office/price-list.ts';
import { BetweenSalesPriceList } from './price-list-client.ts';

const list = (version: number): PriceList => ({ version, publishedAt: '2026-01-05T00:00:00.000Z', note: '', items: [] });

describe('applying a price list between sales', () => {
  it('applies at once when no sale is open, waits for the open sale to end otherwise, and skips old versions', () => {
    const applied: number[] = [];
    let open = false;
    const target = new BetweenSalesPriceList({ appliedVersion: () => applied.at(-1) ?? 0, apply: (offered) => applied.push(offered.version) }, { saleOpen: () => open });
    target.offer(list(1));
    expect(applied).toEqual([1]);
    open = true;
    target.offer(list(2));
    target.offer(list(3));
    expect(applied).toEqual([1]);
    expect(target.currentVersion()).toBe(3);
    target.saleEnded(); // still open: the checkout calls this only when it closed, but a stray call changes nothing
    expect(applied).toEqual([1]);
    open = false;
    target.saleEnded();
    expect(applied).toEqual([1, 3]);
    target.offer(list(2));
    expect(applied).toEqual([1, 3]);
  });
});
