/** The app menu and its two actions, with Electron's menu and dialogs replaced by recording doubles. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const dialog = {
  showSaveDialog: vi.fn(),
  showOpenDialog: vi.fn(),
  showMessageBox: vi.fn(async () => ({ response: 0 })),
  showErrorBox: vi.fn(),
};
vi.mock('electron', () => ({ app: { getPath: () => tmpdir(), getVersion: () => '0.1.0-test' }, dialog }));

const { menuLabels, stationMenuActions, stationMenuTemplate } = await import('./station-menu.ts');

const context = (overrides: Partial<Parameters<typeof stationMenuActions>[0]> = {}) =>
  stationMenuActions({
    window: () => undefined,
    dataDir: mkdtempSync(join(tmpdir(), 'menu-data-')),
    hostConfigPath: undefined,
    backup: { folder: undefined, keep: 3 },
    listDevices: async () => [],
    labels: menuLabels('en-US'),
    log: vi.fn(),
    ...overrides,
  });

beforeEach(() => vi.clearAllMocks());

describe('station menu', () => {
  it('has Station → Save support bundle…, Back up now, Quit; Edit; and View only for developers', () => {
    const actions = { saveSupportBundle: vi.fn(async () => undefined), backUpNow: vi.fn(async () => undefined) };
    const template = stationMenuTemplate(actions, { labels: menuLabels('en'), developer: false });
    const station = template[0]!.submenu as { label?: string; role?: string; click?: () => void }[];
    expect(station.map((item) => item.label ?? item.role ?? '—')).toEqual(['Save support bundle…', 'Back up now', '—', 'quit']);
    station[0]!.click!();
    station[1]!.click!();
    expect(actions.saveSupportBundle).toHaveBeenCalledOnce();
    expect(actions.backUpNow).toHaveBeenCalledOnce();
    expect(template.slice(1).map((item) => item.role)).toEqual(['editMenu']);
    expect(stationMenuTemplate(actions, { labels: menuLabels('en'), developer: true }).slice(1).map((item) => item.role)).toEqual(['editMenu', 'viewMenu']);
    expect(menuLabels('zh-CN').bundle).toBe('保存支持包…');
  });

  it('saves a support bundle where the merchant chose, and says where', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'menu-out-')), 'bundle.tar.gz');
    dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: path });
    await context().saveSupportBundle();
    expect(existsSync(path)).toBe(true);
    expect(dialog.showMessageBox).toHaveBeenCalledWith({ type: 'info', message: 'Support bundle saved', detail: path });
  });

  it('does nothing when the save dialog is cancelled', async () => {
    dialog.showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
    await context().saveSupportBundle();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('asks for a folder when none is configured, and shows why a backup failed', async () => {
    dialog.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: [mkdtempSync(join(tmpdir(), 'menu-backups-'))] });
    await context().backUpNow();
    expect(dialog.showOpenDialog).toHaveBeenCalledOnce();
    expect(dialog.showErrorBox).toHaveBeenCalledWith('No backup', expect.stringMatching(/has no journal, catalog or ledger to back up/));
  });

  it('backs up to the configured folder without asking', async () => {
    await context({ backup: { folder: mkdtempSync(join(tmpdir(), 'menu-backups-')), keep: 3 } }).backUpNow();
    expect(dialog.showOpenDialog).not.toHaveBeenCalled();
    expect(dialog.showErrorBox).toHaveBeenCalledOnce();
  });
});
