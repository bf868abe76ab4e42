/**
 * The app's menu (none in kiosk mode): Station → Save support bundle…, Back up now, Quit; the Edit
 * menu for copy and paste; and the View menu (reload, developer tools) only when unpackaged. The
 * actions ask where with the system's dialogs and say how it went; the work itself is the same
 * code as `npm run support-bundle` and `npm run backup` (main/support, main/backup).
 */
import { app, dialog, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { DeviceStatus } from '../../common/devices.ts';
import { takeBackup } from '../backup/backup.ts';
import { DEFAULT_BUNDLE_ENTRIES, writeSupportBundle } from '../support/support-bundle.ts';

export interface StationMenuActions {
  saveSupportBundle(): Promise<void>;
  backUpNow(): Promise<void>;
}

const LABELS = {
  en: { station: 'Station', bundle: 'Save support bundle…', backup: 'Back up now', bundleSaved: 'Support bundle saved', noBundle: 'No support bundle', backupDone: 'Backup written', noBackup: 'No backup', backupTo: 'Back up to…' },
  'zh-CN': { station: '收银台', bundle: '保存支持包…', backup: '立即备份', bundleSaved: '支持包已保存', noBundle: '未能保存支持包', backupDone: '备份已完成', noBackup: '未能备份', backupTo: '备份到…' },
} as const;
type Labels = (typeof LABELS)[keyof typeof LABELS];

export function menuLabels(locale: string): Labels {
  return locale.toLowerCase().startsWith('zh') ? LABELS['zh-CN'] : LABELS.en;
}

export function stationMenuTemplate(actions: StationMenuActions, options: { readonly labels: Labels; readonly developer: boolean }): MenuItemConstructorOptions[] {
  const { labels } = options;
  return [
    {
      label: labels.station,
      submenu: [
        { label: labels.bundle, click: () => void actions.saveSupportBundle() },
        { label: labels.backup, click: () => void actions.backUpNow() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    ...(options.developer ? [{ role: 'viewMenu' } as const] : []),
  ];
}

export interface StationMenuContext {
  readonly window: () => BrowserWindow | undefined;
  readonly dataDir: string;
  readonly hostConfigPath: string | undefined;
  readonly backup: { readonly folder: string | undefined; readonly keep: number };
  readonly listDevices: () => Promise<readonly DeviceStatus[]>;
  readonly labels: Labels;
  readonly log: (line: string) => void;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function stationMenuActions(context: StationMenuContext): StationMenuActions {
  const { labels, log } = context;
  const inform = async (message: string, detail: string) => {
    const window = context.window();
    const options = { type: 'info' as const, message, detail };
    await (window === undefined ? dialog.showMessageBox(options) : dialog.showMessageBox(window, options));
  };
  return {
    async saveSupportBundle() {
      const window = context.window();
      const options = { defaultPath: join(app.getPath('documents'), `pos-support-${new Date().toISOString().slice(0, 10)}.tar.gz`), filters: [{ name: 'tar.gz', extensions: ['gz'] }] };
      const { canceled, filePath } = await (window === undefined ? dialog.showSaveDialog(options) : dialog.showSaveDialog(window, options));
      if (canceled || !filePath) return;
      try {
        const written = writeSupportBundle(filePath, {
          dataDir: context.dataDir,
          hostConfigPath: context.hostConfigPath,
          versions: { app: app.getVersion() },
          lastEntries: DEFAULT_BUNDLE_ENTRIES,
          liveDevices: await context.listDevices(),
        });
        log(`support bundle written: ${written}`);
        await inform(labels.bundleSaved, written);
      } catch (error) {
        log(`support bundle failed: ${messageOf(error)}`);
        dialog.showErrorBox(labels.noBundle, messageOf(error));
      }
    },
    async backUpNow() {
      let folder = context.backup.folder;
      if (folder === undefined) {
        const window = context.window();
        const options = { title: labels.backupTo, properties: ['openDirectory' as const, 'createDirectory' as const] };
        const chosen = await (window === undefined ? dialog.showOpenDialog(options) : dialog.showOpenDialog(window, options));
        if (chosen.canceled || chosen.filePaths[0] === undefined) return;
        folder = chosen.filePaths[0];
      }
      try {
        const result = await takeBackup({ dataDir: context.dataDir, folder, keep: context.backup.keep });
        log(`backup written: ${result.path}`);
        await inform(labels.backupDone, result.path);
      } catch (error) {
        log(`backup failed: ${messageOf(error)}`);
        dialog.showErrorBox(labels.noBackup, messageOf(error));
      }
    },
  };
}
