/**
 * Starts a node:net or node:http server listening and keeps track of its connections, so close()
 * really closes (open keep-alive connections included) and every socket has an 'error' listener.
 * Shared by the wallet platform's HTTP server and the station's notify endpoint.
 */
import type { AddressInfo, Server, Socket } from 'node:net';

export interface TrackedServer {
  readonly host: string;
  readonly port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

export async function listenTracked(server: Server, host: string, port: number, log: (line: string) => void): Promise<TrackedServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', (error) => log(`connection error: ${error.message}`));
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`server error: ${error.message}`));
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
