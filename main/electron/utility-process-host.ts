/** Starts the bundled acquirer/issuer host in an Electron utilityProcess: its own process, reached only over TCP. */
import { utilityProcess } from 'electron';
import { HOST_START_TIMEOUT_MS, isHostListening, type RunningHost } from '../host/host-process-messages.ts';

export interface UtilityHostOptions {
  readonly entry: string;
  readonly deckPath: string;
  readonly configPath: string;
  readonly dataDir: string;
  readonly port: number;
  readonly log: (line: string) => void;
}

export function startUtilityProcessHost(options: UtilityHostOptions): Promise<RunningHost> {
  const child = utilityProcess.fork(
    options.entry,
    ['--port', String(options.port), '--data', options.dataDir, '--deck', options.deckPath, '--config', options.configPath],
    { serviceName: 'POS acquirer host', stdio: 'pipe' },
  );
  const relay = (stream: NodeJS.ReadableStream | null) =>
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) options.log(`[host] ${line}`);
    });
  relay(child.stdout);
  relay(child.stderr);

  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.kill();
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the bundled host did not start listening within ${HOST_START_TIMEOUT_MS / 1000} s`));
    }, HOST_START_TIMEOUT_MS);
    const onExit = (code: number) => {
      clearTimeout(timer);
      reject(new Error(`the bundled host exited during start-up with code ${code}`));
    };
    child.once('exit', onExit);
    child.on('message', (message: unknown) => {
      if (!isHostListening(message)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ host: message.host, port: message.port, stop });
    });
  });
}
