/**
 * The customer display's contract: read-only. It has no methods at all, and the station's table
 * serves it as a display-only page (`changesState: false`), so even a call made by hand on its socket
 * is refused before any handler sees it. It is told one thing: what to show (common/display/customer-view.ts),
 * replayed to a display that connects or reloads.
 */
import { CustomerViewSchema } from '../display/customer-view.ts';
import { defineContract } from './define-contract.ts';

export const displayContract = defineContract({
  name: 'display',
  methods: {},
  events: {
    /** The whole screen, each time anything on it changes. */
    view: CustomerViewSchema,
  },
});
export type DisplayContract = typeof displayContract;
