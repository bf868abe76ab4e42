import type { ApiOf } from '../../common/ipc/define-contract.ts';
import type { SimulatorContract } from '../../common/ipc/simulator-contract.ts';
import { defineApiInjection } from '../shared/api-injection.ts';

export const simApi = defineApiInjection<ApiOf<SimulatorContract>>('posSimulator');
