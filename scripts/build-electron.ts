/**
 * Builds exactly what `electron-forge package` would put in .vite/ (main, bundled host, preloads,
 * renderer), by running Forge's own Vite build worker on the forge.config.ts entries. Packaging needs
 * the Electron binary; this build does not, so the Electron end-to-end tests can build anywhere and
 * run wherever the binary exists.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { vitePluginConfig } from '../forge.config.ts';

const projectDir = resolve(import.meta.dirname, '..');
// The worker sits next to the plugin's entry (dist/VitePlugin.js); the package exports nothing else.
const worker = join(dirname(createRequire(import.meta.url).resolve('@electron-forge/plugin-vite')), 'subprocess-worker.js');

function buildOne(kind: 'build' | 'renderer', index: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [worker], {
      cwd: projectDir,
      stdio: 'inherit',
      env: { ...process.env, FORGE_VITE_PROJECT_DIR: projectDir, FORGE_VITE_KIND: kind, FORGE_VITE_INDEX: String(index), FORGE_VITE_CONFIG: JSON.stringify(vitePluginConfig) },
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`Forge Vite ${kind} #${index} exited with ${code}`))));
  });
}

await rm(join(projectDir, '.vite', 'build'), { recursive: true, force: true });
for (const [index, entry] of vitePluginConfig.build.entries()) {
  await buildOne('build', index);
  console.log(`built ${entry.entry}`);
}
for (const [index, entry] of vitePluginConfig.renderer.entries()) {
  await buildOne('renderer', index);
  console.log(`built renderer ${entry.name}`);
}
