import { describe, expect, it } from 'vitest';
import { CliUsageError, parseHostCliArgs } from './cli-args.ts';

describe('parseHostCliArgs', () => {
  it('defaults the data directory to ./var/bank under the working directory and leaves the rest to the config', () => {
    expect(parseHostCliArgs([], '/srv/pos')).toEqual({ help: false, dataDir: '/srv/pos/var/bank', transport: 'tls' });
  });

  it('reads every option and resolves paths against the working directory', () => {
    expect(parseHostCliArgs(['--port', '0', '--host', '0.0.0.0', '--deck', 'cards.json', '--config', '/etc/host.json', '--data', 'd'], '/srv/pos')).toEqual({
      help: false,
      port: 0,
      host: '0.0.0.0',
      deckPath: '/srv/pos/cards.json',
      configPath: '/etc/host.json',
      dataDir: '/srv/pos/d',
      transport: 'tls',
    });
  });

  it('reads the wallet platform\'s port', () => {
    expect(parseHostCliArgs(['--wallet-port', '8584'], '/').walletPort).toBe(8584);
  });

  it('listens plain with --plain, and enrols a station under TLS with --enrol-terminal and --enrol-dir', () => {
    expect(parseHostCliArgs(['--plain'], '/srv/pos').transport).toBe('plain');
    expect(parseHostCliArgs(['--enrol-terminal', 'POS00001', '--enrol-dir', 'station/acquirer-tls'], '/srv/pos').enrolStation).toEqual({ terminalId: 'POS00001', dir: '/srv/pos/station/acquirer-tls' });
  });

  it.each([['--port', 'x'], ['--port', '65536'], ['--port', '-1'], ['--wallet-port', '70000'], ['--unknown'], ['positional'], ['--enrol-terminal', 'POS00001'], ['--plain', '--enrol-terminal', 'POS00001', '--enrol-dir', 'd']])('rejects %j', (...argv) => {
    expect(() => parseHostCliArgs(argv, '/')).toThrow(CliUsageError);
  });

  it('recognises --help', () => {
    expect(parseHostCliArgs(['--help'], '/').help).toBe(true);
  });
});
