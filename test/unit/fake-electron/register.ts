/**
 * Loaded with --import before the built main bundle: routes its require('electron') to the
 * recording fake next to this file. Nothing else in the process is touched.
 */
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const fake = pathToFileURL(join(import.meta.dirname, 'electron.ts')).href;

registerHooks({
  resolve: (specifier, context, nextResolve) => (specifier === 'electron' ? { url: fake, shortCircuit: true } : nextResolve(specifier, context)),
});
