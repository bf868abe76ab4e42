import type { ApiOf } from '../../common/ipc/define-contract.ts';
import type { DisplayContract } from '../../common/ipc/display-contract.ts';
import { defineApiInjection } from '../shared/api-injection.ts';

export const displayApi = defineApiInjection<ApiOf<DisplayContract>>('posDisplay');
