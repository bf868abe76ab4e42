/** Preload of the checkout window: window.pos, the checkout contract's named methods. */
import { checkoutContract } from '../common/ipc/checkout-contract.ts';
import { exposeContract } from './expose-contract.ts';

exposeContract('pos', checkoutContract);
