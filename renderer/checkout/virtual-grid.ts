/**
 * Which rows of a uniform grid are on screen. The product grid draws only those (plus a couple of
 * rows either side, so keyboard focus and a fling find tiles ready) inside a spacer as tall as the
 * whole grid, so 5,000 items cost what 40 do. Until the scroller has been measured (a first paint,
 * a test without layout) it draws the first `fallbackRows`.
 */
export interface GridMetrics {
  readonly tileMinWidth: number;
  readonly rowHeight: number;
  readonly gap: number;
  readonly paddingX: number;
  readonly paddingY: number;
  readonly overscanRows: number;
  readonly fallbackRows: number;
}

export interface GridWindow {
  readonly columns: number;
  readonly first: number;
  readonly last: number;
  /** Where the first drawn row sits, from the top of the content. */
  readonly offsetY: number;
  readonly totalHeight: number;
}

export function gridWindow(metrics: GridMetrics, count: number, viewport: { width: number; height: number; scrollTop: number }): GridWindow {
  const inner = Math.max(0, viewport.width - 2 * metrics.paddingX);
  const columns = Math.max(1, Math.floor((inner + metrics.gap) / (metrics.tileMinWidth + metrics.gap)));
  const rows = Math.ceil(count / columns);
  const stride = metrics.rowHeight + metrics.gap;
  const totalHeight = rows === 0 ? 0 : rows * stride - metrics.gap + 2 * metrics.paddingY;
  const measured = viewport.height > 0;
  const top = Math.max(0, viewport.scrollTop - metrics.paddingY);
  const firstRow = measured ? Math.max(0, Math.floor(top / stride) - metrics.overscanRows) : 0;
  const lastRow = measured ? Math.min(rows, Math.ceil((top + viewport.height) / stride) + metrics.overscanRows) : Math.min(rows, metrics.fallbackRows);
  return { columns, first: firstRow * columns, last: Math.min(count, lastRow * columns), offsetY: metrics.paddingY + firstRow * stride, totalHeight };
}
