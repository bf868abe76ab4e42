/**
 * Test support: a TCP relay between the station's wallet client and the platform that can lose
 * what crosses it, to produce the answers a real network produces: requests that never arrive,
 * and answers that never come back although the platform acted. Its upstream can be repointed
 * (a restarted host listens on another free port).
 */
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FlakyLink {
  readonly url: string;
  /** Where the relay forwards to. */
  upstreamPort: number;
  /** The next n requests are dropped before reaching the platform (the connection is cut). */
  dropRequests(count: number): void;
  /** The next n answers are dropped after the platform answered (the connection is cut). */
  dropAnswers(count: number): void;
  close(): Promise<void>;
}

export async function startFlakyLink(upstreamPort: number): Promise<FlakyLink> {
  let requestsToDrop = 0;
  let answersToDrop = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => sockets.delete(socket));
  };
  const link = {
    upstreamPort,
  } as { upstreamPort: number };
  const server = createServer((client) => {
    track(client);
    let upstream: Socket | undefined;
    const cut = () => {
      client.destroy();
      upstream?.destroy();
    };
    client.on('data', (chunk) => {
      if (requestsToDrop > 0) {
        requestsToDrop--;
        return cut();
      }
      if (upstream === undefined) {
        upstream = connect(link.upstreamPort, '127.0.0.1');
        track(upstream);
        upstream.on('data', (answer) => {
          if (answersToDrop > 0) {
            answersToDrop--;
            return cut();
          }
          client.write(answer);
        });
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream?.destroy());
      }
      upstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(link, {
    url: `http://127.0.0.1:${port}`,
    dropRequests(count: number) {
      requestsToDrop = count;
    },
    dropAnswers(count: number) {
      answersToDrop = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}
