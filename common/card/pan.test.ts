import { describe, expect, it } from 'vitest';
import { luhnValid, maskPan, panLast4 } from './pan.ts';

describe('PAN', () => {
  it('masks to the first 6 and last 4 digits at most (PCI DSS 3.3)', () => {
    expect(maskPan('6212345678901232')).toBe('621234******1232');
    expect(maskPan('378282000000016')).toBe('378282*****0016');
    expect(maskPan('6212345678901232123')).toBe('621234*********2123');
    expect(panLast4('6212345678901232')).toBe('1232');
  });

  it('masks anything that is not PAN-shaped completely', () => {
    expect(maskPan('12345')).toBe('*****');
    expect(maskPan('6212-3456-7890-1232')).not.toMatch(/\d{5}/);
  });

  it('checks the Luhn digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('4111a11111111111')).toBe(false);
  });
});
