/** Preload of the simulated-devices window: window.posSimulator, the simulator contract's named methods. */
import { simulatorContract } from '../common/ipc/simulator-contract.ts';
import { exposeContract } from './expose-contract.ts';

exposeContract('posSimulator', simulatorContract);
