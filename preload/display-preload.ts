/** Preload of the customer display window: window.posDisplay, the display contract (events only, no methods). */
import { displayContract } from '../common/ipc/display-contract.ts';
import { exposeContract } from './expose-contract.ts';

exposeContract('posDisplay', displayContract);
