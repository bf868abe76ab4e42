import { describe, expect, it } from 'vitest';
import { isMti, isRequestMti, isResponseMti, mtiMatchClass, responseMti } from './mti.ts';

describe('responseMti', () => {
  it.each([
    ['0200', '0210'],
    ['0100', '0110'],
    ['0400', '0410'],
    ['0401', '0410'],
    ['0420', '0430'],
    ['0421', '0430'],
    ['0800', '0810'],
    ['0202', '0212'],
    ['0203', '0212'],
  ])('%s → %s', (request, response) => {
    expect(responseMti(request)).toBe(response);
  });

  it('refuses a response, an acknowledgement or a malformed MTI', () => {
    expect(() => responseMti('0210')).toThrow(RangeError);
    expect(() => responseMti('0290')).toThrow(RangeError);
    expect(() => responseMti('02x0')).toThrow(RangeError);
  });
});

describe('mtiMatchClass', () => {
  it('gives a request and its response the same class, like QMUX', () => {
    expect(mtiMatchClass('0200')).toBe(mtiMatchClass('0210'));
    expect(mtiMatchClass('0400')).toBe(mtiMatchClass('0410'));
    expect(mtiMatchClass('0401')).toBe(mtiMatchClass('0410'));
    expect(mtiMatchClass('0800')).toBe(mtiMatchClass('0810'));
    expect(mtiMatchClass('0420')).toBe(mtiMatchClass('0430'));
  });

  it('keeps different classes and functions apart', () => {
    expect(mtiMatchClass('0200')).not.toBe(mtiMatchClass('0410'));
    expect(mtiMatchClass('0200')).not.toBe(mtiMatchClass('0230'));
    expect(mtiMatchClass('0100')).not.toBe(mtiMatchClass('0210'));
  });
});

describe('isRequestMti / isResponseMti / isMti', () => {
  it('classifies by the function digit', () => {
    expect(['0200', '0220', '0800', '0400', '0401', '0420'].every(isRequestMti)).toBe(true);
    expect(['0210', '0290', '0880', '02x0'].some(isRequestMti)).toBe(false);
    expect(['0210', '0230', '0810', '0410'].every(isResponseMti)).toBe(true);
    expect(['0200', '0220', '0800', '0400', '0401'].some(isResponseMti)).toBe(false);
  });

  it('accepts exactly four digits', () => {
    expect(isMti('0200')).toBe(true);
    expect(isMti('200')).toBe(false);
    expect(isMti('02000')).toBe(false);
  });
});
