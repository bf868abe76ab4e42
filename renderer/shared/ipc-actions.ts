/** Every IPC call the UI makes, named so a failure banner can say what was being attempted. */
export const IPC_ACTIONS = [
  'loadStation',
  'loadCatalog',
  'loadDevices',
  'loadJournal',
  'startPayment',
  'cancelPayment',
  'loadTestCards',
  'swipeCard',
  'pressPinPadKey',
] as const;
export type IpcAction = (typeof IPC_ACTIONS)[number];
