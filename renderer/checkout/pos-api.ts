import type { CheckoutContract } from '../../common/ipc/checkout-contract.ts';
import type { ApiOf } from '../../common/ipc/define-contract.ts';
import { defineApiInjection } from '../shared/api-injection.ts';

export const posApi = defineApiInjection<ApiOf<CheckoutContract>>('pos');
