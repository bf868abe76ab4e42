/**
 * The pinyin initials of an item's Chinese name, decided once when the catalog is imported or a
 * price list applied, and kept with the item: the checkout searches "mlhc" for 茉莉花茶 without a
 * dictionary in the renderer. pinyin-pro picks each character's reading from its context (重庆 is
 * "cq", 重量 "zl"). Digits and Latin letters in the name are kept, lower-cased; the rest is dropped.
 */
import { pinyin } from 'pinyin-pro';

export function pinyinInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
