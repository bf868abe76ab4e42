/**
 * The deb and rpm set up the counter PC. The makers cannot run here (they need the Electron binary),
 * so what they are given is checked instead: the maker config (typechecked with the rest) carries
 * the install scripts and the runtime dependencies, and the scripts themselves run in a temporary
 * root directory, with a stub udevadm on the PATH recording what they ask udev to do.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import config, { DEB_DEPENDS, LINUX_INSTALL_SCRIPTS, RPM_REQUIRES } from '../../forge.config.ts';
import { UDEV_RULES_FILE } from '../../peripherals/usb/udev-rule.ts';

const root = resolve(import.meta.dirname, '..', '..');
const RULES = basename(UDEV_RULES_FILE);
const INSTALLED_RULES = `usr/lib/udev/rules.d/${RULES}`;

interface Machine {
  readonly root: string;
  readonly udevadmCalls: () => string[];
  run(script: 'afterInstall' | 'beforeRemove', ...args: string[]): { status: number | null; stderr: string };
}

/** A temporary root with the app installed where both makers put it, and a stub udevadm. */
function machine(udevadmExit = 0): Machine {
  const dir = mkdtempSync(join(tmpdir(), 'pos-install-root-'));
  const machineRoot = join(dir, 'root');
  const resources = join(machineRoot, 'usr', 'lib', 'pos-station', 'resources', 'udev');
  mkdirSync(resources, { recursive: true });
  copyFileSync(join(root, UDEV_RULES_FILE), join(resources, RULES));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'udevadm.log');
  writeFileSync(join(bin, 'udevadm'), `#!/bin/sh\necho "$*" >> ${JSON.stringify(log)}\nexit ${udevadmExit}\n`);
  chmodSync(join(bin, 'udevadm'), 0o755);
  return {
    root: machineRoot,
    udevadmCalls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
    run: (script, ...args) => {
      const result = spawnSync('sh', [join(root, LINUX_INSTALL_SCRIPTS[script]), ...args], {
        encoding: 'utf8',
        env: { PATH: `${bin}:${process.env.PATH}`, POS_INSTALL_ROOT: machineRoot },
      });
      return { status: result.status, stderr: result.stderr };
    },
  };
}

/** Every file under the root, relative, so a test sees exactly what a script added or removed. */
function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesOf(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]));
}

describe('maker configuration', () => {
  const makers = config.makers as unknown as { name: string; config: { options: Record<string, unknown> }; prepareConfig(arch: string): Promise<void> }[];
  const maker = (name: string) => makers.find((candidate) => candidate.name === name)!.config.options;
  // What Forge does before a make: each maker settles its config for the target architecture.
  beforeAll(async () => {
    for (const candidate of makers) await candidate.prepareConfig('x64');
  });

  it('gives the deb its postinst and prerm, and udev as a dependency', () => {
    expect(maker('deb')).toMatchObject({ name: 'pos-station', depends: DEB_DEPENDS, scripts: { postinst: LINUX_INSTALL_SCRIPTS.afterInstall, prerm: LINUX_INSTALL_SCRIPTS.beforeRemove } });
    expect(DEB_DEPENDS).toContain('udev');
  });

  it('gives the rpm its %post and %preun, and udev as a requirement', () => {
    expect(maker('rpm')).toMatchObject({ name: 'pos-station', requires: RPM_REQUIRES, scripts: { post: LINUX_INSTALL_SCRIPTS.afterInstall, preun: LINUX_INSTALL_SCRIPTS.beforeRemove } });
    expect(RPM_REQUIRES).toContain('systemd-udev');
  });

  it('ships the rules where the scripts look for them, and the scripts are executable files', () => {
    expect(config.packagerConfig?.extraResource).toContain('packaging/udev');
    expect(config.packagerConfig?.executableName).toBe('pos-station');
    for (const script of Object.values(LINUX_INSTALL_SCRIPTS)) expect(statSync(join(root, script)).mode & 0o111, script).not.toBe(0);
    expect(readFileSync(join(root, LINUX_INSTALL_SCRIPTS.afterInstall), 'utf8')).toContain('/usr/lib/pos-station/resources/udev/');
  });
});

describe('after install (deb postinst, rpm %post)', () => {
  it.each([
    ['deb', ['configure', '0.1.0']],
    ['rpm', ['1']],
  ])('%s: installs exactly the rule file, then reloads udev and re-triggers the USB devices', (_kind, args) => {
    const target = machine();
    const before = filesOf(target.root);
    expect(target.run('afterInstall', ...args)).toEqual({ status: 0, stderr: '' });
    expect(filesOf(target.root).sort()).toEqual([...before, INSTALLED_RULES].sort());
    expect(readFileSync(join(target.root, INSTALLED_RULES))).toEqual(readFileSync(join(root, UDEV_RULES_FILE)));
    expect(statSync(join(target.root, INSTALLED_RULES)).mode & 0o777).toBe(0o644);
    expect(target.udevadmCalls()).toEqual(['control --reload-rules', 'trigger --subsystem-match=usb --action=change']);
  });

  it('replaces the rules on an upgrade and leaves the administrator’s own rules alone', () => {
    const target = machine();
    mkdirSync(join(target.root, 'usr', 'lib', 'udev', 'rules.d'), { recursive: true });
    writeFileSync(join(target.root, INSTALLED_RULES), '# an older version\n');
    writeFileSync(join(target.root, 'usr', 'lib', 'udev', 'rules.d', '60-other.rules'), '# someone else’s\n');
    expect(target.run('afterInstall', '2').status).toBe(0);
    expect(readFileSync(join(target.root, INSTALLED_RULES))).toEqual(readFileSync(join(root, UDEV_RULES_FILE)));
    expect(readFileSync(join(target.root, 'usr', 'lib', 'udev', 'rules.d', '60-other.rules'), 'utf8')).toBe('# someone else’s\n');
  });

  it('still installs when udev is not running, and says the rules apply after a replug', () => {
    const target = machine(1);
    const { status, stderr } = target.run('afterInstall', 'configure');
    expect(status).toBe(0);
    expect(existsSync(join(target.root, INSTALLED_RULES))).toBe(true);
    expect(stderr).toMatch(/udev did not reload .* apply once the devices are replugged/);
  });

  it('fails the install when the package lacks the rules it should ship', () => {
    const target = machine();
    spawnSync('rm', ['-r', join(target.root, 'usr', 'lib', 'pos-station')]);
    expect(target.run('afterInstall', 'configure')).toMatchObject({ status: 1, stderr: expect.stringContaining('is missing') });
    expect(target.udevadmCalls()).toEqual([]);
  });
});

describe('before remove (deb prerm, rpm %preun)', () => {
  it.each([
    ['deb remove', ['remove']],
    ['deb deconfigure', ['deconfigure', 'in-favour', 'other']],
    ['rpm uninstall', ['0']],
  ])('%s: removes exactly the rule file and reloads udev', (_what, args) => {
    const target = machine();
    expect(target.run('afterInstall', 'configure').status).toBe(0);
    const installed = filesOf(target.root);
    expect(target.run('beforeRemove', ...args)).toEqual({ status: 0, stderr: '' });
    expect(filesOf(target.root).sort()).toEqual(installed.filter((file) => file !== INSTALLED_RULES).sort());
    expect(target.udevadmCalls().slice(2)).toEqual(['control --reload-rules']);
  });

  it.each([
    ['deb upgrade', ['upgrade', '0.2.0']],
    ['deb failed-upgrade', ['failed-upgrade', '0.2.0']],
    ['rpm upgrade', ['1']],
  ])('%s: keeps the rules for the new version, and leaves udev alone', (_what, args) => {
    const target = machine();
    expect(target.run('afterInstall', 'configure').status).toBe(0);
    expect(target.run('beforeRemove', ...args).status).toBe(0);
    expect(existsSync(join(target.root, INSTALLED_RULES))).toBe(true);
    expect(target.udevadmCalls()).toHaveLength(2);
  });
});
