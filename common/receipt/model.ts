/**
 * A receipt as the paper shows it: what the virtual printer decodes from ESC/POS bytes and what
 * the UI draws as a paper-like preview. It is a model of the print, not of the sale.
 */
import { z } from 'zod';

export const TextRunSchema = z.object({
  text: z.string(),
  bold: z.boolean(),
  underline: z.boolean(),
  invert: z.boolean(),
  /** Character width and height multipliers, 1–8 (ESC ! / GS !). */
  width: z.number().int().min(1).max(8),
  height: z.number().int().min(1).max(8),
});
export type TextRun = z.infer<typeof TextRunSchema>;

export const ReceiptItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('line'), align: z.enum(['left', 'center', 'right']), runs: z.array(TextRunSchema) }),
  z.object({ kind: z.literal('qr'), data: z.string(), align: z.enum(['left', 'center', 'right']) }),
  z.object({ kind: z.literal('barcode'), symbology: z.string(), data: z.string(), align: z.enum(['left', 'center', 'right']) }),
  /** 1-bit raster, rows packed MSB first, base64. */
  z.object({ kind: z.literal('image'), widthDots: z.number().int().positive(), heightDots: z.number().int().positive(), bitsBase64: z.string() }),
  z.object({ kind: z.literal('cut'), partial: z.boolean() }),
  z.object({ kind: z.literal('drawer'), pin: z.number().int().min(0).max(1) }),
]);
export type ReceiptItem = z.infer<typeof ReceiptItemSchema>;

export const ReceiptModelSchema = z.object({
  items: z.array(ReceiptItemSchema),
  /** Commands the decoder did not understand, with their byte offset, so nothing is silently lost. */
  unknown: z.array(z.object({ offset: z.number().int(), bytes: z.string() })),
});
export type ReceiptModel = z.infer<typeof ReceiptModelSchema>;

/** The plain text of a receipt, one line per text item: what tests and `receipt:decode` print. */
export function receiptText(model: ReceiptModel): string {
  return model.items
    .map((item) => {
      switch (item.kind) {
        case 'line':
          return item.runs.map((run) => run.text).join('');
        case 'qr':
          return `[QR ${item.data}]`;
        case 'barcode':
          return `[${item.symbology} ${item.data}]`;
        case 'image':
          return `[image ${item.widthDots}x${item.heightDots}]`;
        case 'cut':
          return item.partial ? '[partial cut]' : '[cut]';
        case 'drawer':
          // ESC p m: m = 0 drives connector pin 2, m = 1 pin 5.
          return `[drawer pin ${item.pin === 0 ? 2 : 5}]`;
      }
    })
    .join('\n');
}
