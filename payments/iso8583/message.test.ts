import { describe, expect, it } from 'vitest';
import { copyFields, createMessage, getBytes, getText, setField } from './message.ts';

describe('message helpers', () => {
  it('builds a message from a record and reads fields by kind', () => {
    const message = createMessage('0200', { 11: '000001', 52: Buffer.alloc(8) });
    expect(getText(message, 11)).toBe('000001');
    expect(getBytes(message, 52)).toEqual(Buffer.alloc(8));
    expect(getText(message, 41)).toBeUndefined();
    expect(getBytes(message, 53)).toBeUndefined();
  });

  it('throws when a field is read as the wrong kind', () => {
    const message = createMessage('0200', { 11: '000001', 52: Buffer.alloc(8) });
    expect(() => getText(message, 52)).toThrow(TypeError);
    expect(() => getBytes(message, 11)).toThrow(TypeError);
  });

  it('sets fields and copies the listed ones that exist', () => {
    const request = createMessage('0200', { 3: '000000', 11: '000001' });
    const response = setField(createMessage('0210'), 39, '00');
    copyFields(request, response, [3, 4, 11]);
    expect(response.fields).toEqual(new Map([[39, '00'], [3, '000000'], [11, '000001']]));
  });
});
