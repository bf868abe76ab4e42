/**
 * DLE EOT n: real-time status. The printer answers one byte on its bulk IN endpoint at once, even
 * while offline or mid-job, which is what makes it usable to refuse a job when the paper is out.
 * Every answer has bits 1 and 4 set and bits 0 and 7 clear, so stray bytes can be told apart.
 */

/** n = 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export type StatusRequestKind = 1 | 2 | 3 | 4;

export function statusRequest(kind: StatusRequestKind): Uint8Array {
  return Uint8Array.of(0x10, 0x04, kind);
}

const FIXED_BITS = 0x12;
const FIXED_MASK = 0x93;

const BIT = {
  drawerPin3High: 0x04, // n=1: the drawer kick-out connector's pin 3, where the drawer's open/closed switch is wired
  offline: 0x08, // n=1
  coverOpen: 0x04, // n=2
  stoppedByPaperEnd: 0x20, // n=2
  errorOccurred: 0x40, // n=2
  cutterError: 0x08, // n=3
  unrecoverableError: 0x20, // n=3
  autoRecoverableError: 0x40, // n=3
  nearEnd: 0x0c, // n=4, both bits of the near-end sensor
  paperEnd: 0x60, // n=4, both bits of the end sensor
} as const;

export function isStatusByte(byte: number): boolean {
  return (byte & FIXED_MASK) === FIXED_BITS;
}

/** The physical condition a printer reports on. */
export interface PrinterCondition {
  readonly paperOut: boolean;
  readonly paperNearEnd: boolean;
  readonly coverOpen: boolean;
  /** The cash drawer on its kick-out connector is open (its switch drives pin 3 high). */
  readonly drawerOpen: boolean;
}

/** The byte a printer in `condition` answers to DLE EOT `kind`. */
export function encodeStatusByte(kind: StatusRequestKind, condition: PrinterCondition): number {
  const offline = condition.paperOut || condition.coverOpen;
  switch (kind) {
    case 1:
      return FIXED_BITS | (offline ? BIT.offline : 0) | (condition.drawerOpen ? BIT.drawerPin3High : 0);
    case 2:
      return FIXED_BITS | (condition.coverOpen ? BIT.coverOpen : 0) | (condition.paperOut ? BIT.stoppedByPaperEnd : 0);
    case 3:
      return FIXED_BITS;
    case 4:
      // An empty roll is past the near-end mark too
      return FIXED_BITS | (condition.paperNearEnd || condition.paperOut ? BIT.nearEnd : 0) | (condition.paperOut ? BIT.paperEnd : 0);
  }
}

export interface PrinterStatus {
  readonly online: boolean;
  readonly paperEnd: boolean;
  readonly paperNearEnd: boolean;
  readonly coverOpen: boolean;
  /** A cutter, mechanical or head error: the printer needs attention beyond paper and cover. */
  readonly error: boolean;
  /**
   * DLE EOT 1 bit 2: pin 3 of the drawer kick-out connector is high, which the drawers this station
   * supports (switch closed to ground when shut) report as open. Always false on a printer that
   * cannot answer DLE EOT.
   */
  readonly drawerOpen: boolean;
}

/** Combines the answers to DLE EOT 1, 2, 3 and 4. Either bit of a two-bit sensor field counts. */
export function parseStatus(answers: Readonly<Record<StatusRequestKind, number>>): PrinterStatus {
  const errorCause = answers[3] & (BIT.cutterError | BIT.unrecoverableError | BIT.autoRecoverableError);
  return {
    online: (answers[1] & BIT.offline) === 0,
    paperEnd: (answers[4] & BIT.paperEnd) !== 0 || (answers[2] & BIT.stoppedByPaperEnd) !== 0,
    paperNearEnd: (answers[4] & BIT.nearEnd) !== 0,
    coverOpen: (answers[2] & BIT.coverOpen) !== 0,
    error: (answers[2] & BIT.errorOccurred) !== 0 || errorCause !== 0,
    drawerOpen: (answers[1] & BIT.drawerPin3High) !== 0,
  };
}
