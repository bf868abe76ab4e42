/**
 * Test support: a real TCP connection on 127.0.0.1 (ephemeral port) with an IsoChannel on the
 * client end and the raw server-side socket, or a channel on both ends.
 */
import net, { type AddressInfo } from 'node:net';
import { IsoChannel, connectIsoChannel } from './channel.ts';
import type { IsoPackager } from './packager.ts';

export interface ChannelPair {
  readonly client: IsoChannel;
  /** The server side of the same connection. */
  readonly serverSocket: net.Socket;
  /** Wraps the server side in a channel (for tests that want messages, not bytes, on both ends). */
  serverChannel(): IsoChannel;
  close(): Promise<void>;
}

export async function openChannelPair(packager: IsoPackager, options: { maxFrameBytes?: number } = {}): Promise<ChannelPair> {
  const server = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = await connectIsoChannel({ host: '127.0.0.1', port, packager, ...options });
  const serverSocket = await accepted;
  return {
    client,
    serverSocket,
    serverChannel: () => new IsoChannel(serverSocket, packager, options),
    close: () =>
      new Promise<void>((resolve) => {
        client.destroy();
        serverSocket.destroy();
        server.close(() => resolve());
      }),
  };
}
