import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelClosedError, connectIsoChannel, type IsoChannel, type MalformedFrame } from './channel.ts';
import { openChannelPair, type ChannelPair } from './channel-pair.ts';
import { encodeFrame, FrameError } from './framing.ts';
import { IsoFormatError } from './iso-format-error.ts';
import { createMessage, type IsoMessage } from './message.ts';
import { createPackager } from './packager.ts';
import { PROFILE_FIELDS } from './profile.ts';
import { samplePurchaseRequest } from './sample-messages.ts';

const packager = createPackager(PROFILE_FIELDS);
let pair: ChannelPair | undefined;

afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

function nextMessage(channel: IsoChannel): Promise<IsoMessage> {
  return once(channel, 'message').then(([message]) => message as IsoMessage);
}

describe('IsoChannel', () => {
  it('delivers messages sent from the other end, in order', async () => {
    pair = await openChannelPair(packager);
    const server = pair.serverChannel();
    const received: IsoMessage[] = [];
    const both = new Promise<void>((resolve) =>
      server.on('message', (message) => {
        received.push(message);
        if (received.length === 2) resolve();
      }),
    );
    pair.client.send(samplePurchaseRequest());
    pair.client.send(createMessage('0800', { 11: '000002', 41: 'POS00001', 70: '301' }));
    await both;
    expect(received.map((message) => message.mti)).toEqual(['0200', '0800']);
    expect(received[0]).toEqual(samplePurchaseRequest());
  });

  it('reassembles frames the network splits and coalesces', async () => {
    pair = await openChannelPair(packager);
    const bytes = Buffer.concat([encodeFrame(packager.pack(samplePurchaseRequest())), encodeFrame(packager.pack(createMessage('0800', { 11: '000003' })))]);
    const received: IsoMessage[] = [];
    const both = new Promise<void>((resolve) =>
      pair!.client.on('message', (message) => {
        received.push(message);
        if (received.length === 2) resolve();
      }),
    );
    pair.serverSocket.write(bytes.subarray(0, 1));
    pair.serverSocket.write(bytes.subarray(1, 40));
    pair.serverSocket.write(bytes.subarray(40));
    await both;
    expect(received.map((message) => message.mti)).toEqual(['0200', '0800']);
  });

  it('reports a frame that does not unpack, with the identity it could read, and stays open', async () => {
    pair = await openChannelPair(packager);
    const broken = Buffer.concat([packager.pack(createMessage('0200', { 11: '000123', 41: 'POS00001' })), Buffer.from('junk')]);
    const malformed = once(pair.client, 'malformed');
    pair.serverSocket.write(encodeFrame(broken));
    const [frame] = (await malformed) as [MalformedFrame];
    expect(frame.error).toBeInstanceOf(IsoFormatError);
    expect(frame.identity).toEqual({ mti: '0200', stan: '000123', tid: 'POS00001' });
    expect(frame.byteLength).toBe(broken.length);

    const next = nextMessage(pair.client);
    pair.serverSocket.write(encodeFrame(packager.pack(createMessage('0810', { 11: '000124', 39: '00' }))));
    expect((await next).mti).toBe('0810');
    expect(pair.client.isOpen).toBe(true);
  });

  it('closes with a FrameError when the length prefix exceeds the limit', async () => {
    pair = await openChannelPair(packager, { maxFrameBytes: 100 });
    const closed = once(pair.client, 'close');
    pair.serverSocket.write(Buffer.from([0x00, 0x65]));
    const [cause] = await closed;
    expect(cause).toBeInstanceOf(FrameError);
    expect(pair.client.isOpen).toBe(false);
  });

  it('emits close without a cause when the peer ends the connection, and refuses to send after', async () => {
    pair = await openChannelPair(packager);
    const closed = once(pair.client, 'close');
    pair.serverSocket.end();
    expect(await closed).toEqual([undefined]);
    expect(() => pair!.client.send(createMessage('0800', { 11: '000001' }))).toThrow(ChannelClosedError);
  });

  it('throws IsoFormatError from send for a message the profile rejects, and stays open', async () => {
    pair = await openChannelPair(packager);
    expect(() => pair!.client.send(createMessage('0200', { 3: 'ABC' }))).toThrow(IsoFormatError);
    expect(pair.client.isOpen).toBe(true);
  });

  it('close() flushes what was sent before ending the link', async () => {
    pair = await openChannelPair(packager);
    const server = pair.serverChannel();
    const received = nextMessage(server);
    const serverClosed = once(server, 'close');
    pair.client.send(createMessage('0800', { 11: '000009' }));
    pair.client.close();
    expect((await received).fields.get(11)).toBe('000009');
    await serverClosed;
  });

  it('connectIsoChannel rejects when nothing listens', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await expect(connectIsoChannel({ host: '127.0.0.1', port, packager })).rejects.toThrow(/ECONNREFUSED/);
  });
});
