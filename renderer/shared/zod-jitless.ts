/**
 * The pages run under a CSP without 'unsafe-eval'. Zod compiles fast parsers with `new Function`
 * when it can, and merely probing for that logs a CSP violation, so switch it off before any
 * schema is used. Import this first in every page entry.
 */
import { z } from 'zod';

z.config({ jitless: true });
