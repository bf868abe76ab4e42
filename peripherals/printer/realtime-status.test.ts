import { describe, expect, it } from 'vitest';
import { encodeStatusByte, isStatusByte, parseStatus, statusRequest, type PrinterCondition, type StatusRequestKind } from './realtime-status.ts';

const ready: PrinterCondition = { paperOut: false, paperNearEnd: false, coverOpen: false, drawerOpen: false };

function answers(condition: PrinterCondition): Record<StatusRequestKind, number> {
  return { 1: encodeStatusByte(1, condition), 2: encodeStatusByte(2, condition), 3: encodeStatusByte(3, condition), 4: encodeStatusByte(4, condition) };
}

describe('DLE EOT status', () => {
  it('is requested as DLE EOT n', () => {
    expect([...statusRequest(4)]).toEqual([0x10, 0x04, 4]);
  });

  it('answers with the Epson bit layout', () => {
    expect(answers(ready)).toEqual({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 });
    expect(answers({ ...ready, paperOut: true })).toEqual({ 1: 0x1a, 2: 0x32, 3: 0x12, 4: 0x7e });
    expect(answers({ ...ready, paperNearEnd: true })).toEqual({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1e });
    expect(answers({ ...ready, coverOpen: true })).toEqual({ 1: 0x1a, 2: 0x16, 3: 0x12, 4: 0x12 });
    // The drawer's switch on pin 3 of the kick-out connector: DLE EOT 1 bit 2.
    expect(answers({ ...ready, drawerOpen: true })).toEqual({ 1: 0x16, 2: 0x12, 3: 0x12, 4: 0x12 });
  });

  it('tells status bytes from other bytes by their fixed bits', () => {
    expect(Object.values(answers({ paperOut: true, paperNearEnd: true, coverOpen: true, drawerOpen: true })).every(isStatusByte)).toBe(true);
    expect([0x00, 0xff, 0x13, 0x92].some(isStatusByte)).toBe(false);
  });

  it.each([
    [ready, { online: true, paperEnd: false, paperNearEnd: false, coverOpen: false, error: false, drawerOpen: false }],
    [{ ...ready, paperOut: true }, { online: false, paperEnd: true, paperNearEnd: true, coverOpen: false, error: false, drawerOpen: false }],
    [{ ...ready, paperNearEnd: true }, { online: true, paperEnd: false, paperNearEnd: true, coverOpen: false, error: false, drawerOpen: false }],
    [{ ...ready, coverOpen: true }, { online: false, paperEnd: false, paperNearEnd: false, coverOpen: true, error: false, drawerOpen: false }],
    [{ ...ready, drawerOpen: true }, { online: true, paperEnd: false, paperNearEnd: false, coverOpen: false, error: false, drawerOpen: true }],
  ])('parses %j', (condition, status) => {
    expect(parseStatus(answers(condition))).toEqual(status);
  });

  it('reports errors from the offline and error-cause answers', () => {
    expect(parseStatus({ 1: 0x1a, 2: 0x52, 3: 0x12, 4: 0x12 }).error).toBe(true);
    expect(parseStatus({ 1: 0x1a, 2: 0x12, 3: 0x1a, 4: 0x12 }).error).toBe(true);
  });
});
