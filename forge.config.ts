/**
 * Electron Forge: the Vite build of the main process, the bundled host and the two preloads, the
 * renderer, the makers for installers, and the fuses flipped for packaged builds.
 */
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerRpm, type MakerRpmConfig } from '@electron-forge/maker-rpm';
import { MakerSquirrel } from '@electron-forge/maker-squirrel';
import { MakerZIP } from '@electron-forge/maker-zip';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

/** What the packaged app carries besides the Vite output: usb's JS and its per-platform N-API binary. */
const PACKAGED_PATHS = [/^\/package\.json$/, /^\/\.vite(\/|$)/, /^\/node_modules(\/|$)$/, /^\/node_modules\/usb(\/|$)/, /^\/node_modules\/@node-usb(\/|$)/];

/**
 * The Linux packages set up the counter PC (docs/counter-pc.md): after install, the udev rules go to
 * /usr/lib/udev/rules.d and udev re-applies them to plugged devices; on uninstall they are removed.
 * Both makers install the app in /usr/lib/pos-station, where the scripts find the shipped rules.
 */
export const LINUX_INSTALL_SCRIPTS = { afterInstall: 'packaging/linux/after-install.sh', beforeRemove: 'packaging/linux/before-remove.sh' };

/** Runtime dependencies beyond Electron's own (which the makers add): udev, for the rules and hot-plug. */
export const DEB_DEPENDS = ['udev'];
export const RPM_REQUIRES = ['systemd-udev'];

/** electron-installer-redhat reads `scripts` (pre, post, preun, postun); Forge's rpm maker types leave it out. */
type RpmOptions = NonNullable<MakerRpmConfig['options']> & { readonly scripts: { readonly post: string; readonly preun: string } };

const rpmOptions: RpmOptions = {
  name: 'pos-station',
  productName: 'POS Station',
  requires: RPM_REQUIRES,
  scripts: { post: LINUX_INSTALL_SCRIPTS.afterInstall, preun: LINUX_INSTALL_SCRIPTS.beforeRemove },
};

export const vitePluginConfig = {
  build: [
    { entry: 'main/electron/main.ts', config: 'vite.main.config.ts', target: 'main' as const },
    { entry: 'bank/bank-host.ts', config: 'vite.main.config.ts', target: 'main' as const },
    { entry: 'preload/checkout-preload.ts', config: 'vite.preload.config.ts', target: 'preload' as const },
    { entry: 'preload/simulator-preload.ts', config: 'vite.preload.config.ts', target: 'preload' as const },
    { entry: 'preload/display-preload.ts', config: 'vite.preload.config.ts', target: 'preload' as const },
  ],
  renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
};

const config: ForgeConfig = {
  packagerConfig: {
    asar: true,
    executableName: 'pos-station',
    // The host's test card deck and config ship next to the app, where the merchant can read them;
    // so do the udev rules the USB devices need on Linux (docs/peripherals.md), and the demo catalog
    // a new data directory starts with (docs/catalog.md).
    extraResource: ['bank/deck', 'bank/config', 'packaging/udev', 'main/catalog/demo-catalog.csv'],
    // The Vite plugin would drop node_modules entirely; usb is external to the bundle and must ship.
    ignore: (path: string) => path !== '' && !PACKAGED_PATHS.some((pattern) => pattern.test(path)),
  },
  rebuildConfig: {},
  makers: [
    new MakerSquirrel({ name: 'pos_station' }),
    new MakerZIP({}, ['darwin', 'linux', 'win32']),
    new MakerDeb({
      options: {
        name: 'pos-station',
        productName: 'POS Station',
        categories: ['Office'],
        depends: DEB_DEPENDS,
        scripts: { postinst: LINUX_INSTALL_SCRIPTS.afterInstall, prerm: LINUX_INSTALL_SCRIPTS.beforeRemove },
      },
    }),
    new MakerRpm({ options: rpmOptions }),
  ],
  plugins: [
    new VitePlugin(vitePluginConfig),
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      // Playwright's _electron.launch needs --inspect; only test builds (POS_E2E_BUILD=1) keep it.
      [FuseV1Options.EnableNodeCliInspectArguments]: process.env.POS_E2E_BUILD === '1',
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    }),
  ],
};

export default config;
