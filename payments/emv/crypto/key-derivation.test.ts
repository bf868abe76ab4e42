/**
 * Published vectors for the card key and session key derivations and the cryptograms built on them.
 * Each block names its source; the values are copied from it, not computed here.
 */
import { describe, expect, it } from 'vitest';
import { retailMac, keyCheckValue } from './emv-des.ts';
import { atcDiversifier, atcUnDiversifier, deriveEmvCommonSessionKey, deriveIccMasterKeyOptionA, derivePbocSessionKey, deriveVisaSecureMessagingKey } from './key-derivation.ts';

const hex = (value: string) => Buffer.from(value, 'hex');
const kcv2 = (key: Buffer) => keyCheckValue(key, 2);

describe('EMV option A ICC master key derivation', () => {
  it('pyemv kd.py docstring: IMK 0123…3210, PAN 12345678901234567, PSN 01', () => {
    expect(deriveIccMasterKeyOptionA(hex('0123456789ABCDEFFEDCBA9876543210'), '12345678901234567', '01').toString('hex').toUpperCase()).toBe('73AD54688CEF2934B0979857E3C719F1');
  });

  it('pyemv tests/test_ac_hsm.py (HSM-checked): IMK KCV 08D7, PAN 9901234567890123 PSN 45 → ICC MK KCV 1DA5', () => {
    const imk = hex('0123456789ABCDEFFEDCBA9876543210');
    expect(kcv2(imk)).toBe('08D7');
    expect(kcv2(deriveIccMasterKeyOptionA(imk, '9901234567890123', '45'))).toBe('1DA5');
  });

  it('pyemv tests/test_cvn_hsm.py: MK-AC/SMI/SMC KCVs BAB0, F010, B154 for PAN 1234567890123456 PSN 00', () => {
    expect(kcv2(deriveIccMasterKeyOptionA(hex('0123456789ABCDEFFEDCBA9876543210'), '1234567890123456', '00'))).toBe('BAB0');
    expect(kcv2(deriveIccMasterKeyOptionA(hex('FEDCBA98765432100123456789ABCDEF'), '1234567890123456', '00'))).toBe('F010');
    expect(kcv2(deriveIccMasterKeyOptionA(hex('89ABCDEF0123456776543210FEDCBA98'), '1234567890123456', '00'))).toBe('B154');
  });
});

describe('EMV common session key derivation (Book 2 A1.3.1)', () => {
  it('pyemv kd.py docstring: MK 0123…3210, R 001C000000000000', () => {
    expect(deriveEmvCommonSessionKey(hex('0123456789ABCDEFFEDCBA9876543210'), hex('001C000000000000')).toString('hex').toUpperCase()).toBe('E9FB384AF807B940FEDCEA613461B0C4');
  });

  it('pyemv tests/test_ac_hsm.py: R 1234567890123456 → SK KCV 0995, then AC 4B46013359B7A58B (method 2 padding)', () => {
    const mk = deriveIccMasterKeyOptionA(hex('0123456789ABCDEFFEDCBA9876543210'), '9901234567890123', '45');
    const sk = deriveEmvCommonSessionKey(mk, hex('1234567890123456'));
    expect(kcv2(sk)).toBe('0995');
    expect(retailMac(sk, hex('0123456789ABCDEF0123456789ABCDEF'), 2).toString('hex').toUpperCase()).toBe('4B46013359B7A58B');
    expect(retailMac(sk, hex('0123456789ABCDEF0123456789ABCDEF01'), 1).toString('hex').toUpperCase()).toBe('2E141C6BC4A20DA8');
  });

  it('pyemv tests/test_cvn_hsm.py (Visa CVN 18): ATC 001C → SK KCV 22C8', () => {
    const mk = deriveIccMasterKeyOptionA(hex('0123456789ABCDEFFEDCBA9876543210'), '1234567890123456', '00');
    expect(kcv2(deriveEmvCommonSessionKey(mk, atcDiversifier(hex('001C'))))).toBe('22C8');
  });

  it('pyemv tests/test_cvn_hsm.py (Interac CVN 133, Mastercard SKD R = ATC‖0000‖UN): ATC 001C UN ABCDEF12 → SK KCV 2FD5', () => {
    const mk = deriveIccMasterKeyOptionA(hex('0123456789ABCDEFFEDCBA9876543210'), '1234567890123456', '00');
    expect(kcv2(deriveEmvCommonSessionKey(mk, atcUnDiversifier(hex('001C'), hex('ABCDEF12'))))).toBe('2FD5');
  });
});

describe('PBOC / UnionPay session key derivation', () => {
  // A published PBOC worked example ("PBOC联机交易中ARQC及ARPC的计算", shuzhiduo.com/A/l1dyep1Vde): card
  // key (DGI 8000) 0D2E3CB0BC1F9E03AED58F663A2F9679, ATC 000E.
  it('gives SK_AC C3D3F062E9992B4E923D338D66193526 and the ARQC F294D7022FA9B058 over its GENERATE AC data', () => {
    const sk = derivePbocSessionKey(hex('0D2E3CB0BC1F9E03AED58F663A2F9679'), hex('000E'));
    expect(sk.toString('hex').toUpperCase()).toBe('C3D3F062E9992B4E923D338D66193526');
    const data = hex('0000000012340000000000340156D86004A80001561205160101010101' + '7C00' + '000E' + '03A4B904');
    expect(retailMac(sk, data, 2).toString('hex').toUpperCase()).toBe('F294D7022FA9B058');
  });
});

describe('Visa secure messaging session key', () => {
  it('pyemv kd.py docstring: MK 0123…3210, ATC 001C', () => {
    expect(deriveVisaSecureMessagingKey(hex('0123456789ABCDEFFEDCBA9876543210'), hex('001C')).toString('hex').toUpperCase()).toBe('0123456789ABCDF2FEDCBA987654CDF2');
  });

  it('pyemv tests/test_cvn_hsm.py: MK-SMI of PAN 1234567890123456, ATC 001C → SK KCV DB10', () => {
    const smi = deriveIccMasterKeyOptionA(hex('FEDCBA98765432100123456789ABCDEF'), '1234567890123456', '00');
    expect(kcv2(deriveVisaSecureMessagingKey(smi, hex('001C')))).toBe('DB10');
  });
});
