/**
 * Test support: a TCP proxy between the station and the host that a test can stall (bytes stop
 * moving, connections stay open: a hung network or host) or cut (connections reset, new ones
 * refused: the host is gone), to drive the link's failure paths without touching the host.
 */
import net, { type AddressInfo } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Stops forwarding in both directions; whatever was sent waits, as in a stalled network. */
  stall(): void;
  /** Forwards requests to the host but holds back its answers: the host acts, the station hears nothing. */
  holdReplies(): void;
  resume(): void;
  /** Resets every connection and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** `tap` sees every byte the station sends towards the host, as it goes by. */
export async function startTcpProxy(target: { host: string; port: number }, tap?: (chunk: Buffer) => void): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let stalled = false;
  let holding = false;
  let cut = false;

  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    if (tap) client.on('data', tap);
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) client.pause();
    if (stalled || holding) upstream.pause();
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    stall() {
      stalled = true;
      for (const pair of pairs) for (const socket of pair) socket.pause();
    },
    holdReplies() {
      holding = true;
      for (const [, upstream] of pairs) upstream.pause();
    },
    resume() {
      stalled = false;
      holding = false;
      for (const pair of pairs) for (const socket of pair) socket.resume();
    },
    cut() {
      cut = true;
      for (const pair of pairs) for (const socket of pair) socket.resetAndDestroy();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) for (const socket of pair) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
