import { describe, expect, it } from 'vitest';
import { helpText, parseCli } from './cli';

describe('parseCli', () => {
  it('reads every flag into the server options', () => {
    const cli = parseCli(['--port', '0', '--data', 'd', '--preset', 'small', '--speed', '60', '--no-sim']);
    expect(cli).toEqual({
      kind: 'run',
      options: expect.objectContaining({ port: 0, dataDir: 'd', preset: 'small', speed: 60, simulate: false }),
    });
  });

  it('says each mistake in one line', () => {
    const line = (argv: string[]) => {
      const cli = parseCli(argv);
      return cli.kind === 'error' ? cli.line : cli.kind;
    };
    expect(line(['--bogus'])).toBe('unknown flag --bogus: run with --help for the list of flags');
    expect(line(['--data'])).toBe('--data needs a value: run with --help for the list of flags');
    expect(line(['--no-sim=yes'])).toBe('--no-sim takes no value: run with --help for the list of flags');
    expect(line(['serve'])).toMatch(/^unexpected argument serve/);
    expect(line(['--port', '70000'])).toMatch(/^--port must be a whole number from 0 to 65535/);
    expect(line(['--seed=-1'])).toMatch(/^--seed must be a non-negative number/);
    expect(line(['--preset', 'town'])).toBe('--preset must be one of small, district, city, got "town"');
    for (const l of [line(['--bogus']), line(['--data'])]) expect(l).not.toContain('\n');
  });

  it('--help lists every flag', () => {
    expect(parseCli(['--help']).kind).toBe('help');
    const text = helpText();
    for (const f of ['host', 'port', 'data', 'config', 'preset', 'seed', 'speed', 'history-days', 'no-sim', 'help']) {
      expect(text).toMatch(new RegExp(`^  --${f} `, 'm'));
    }
  });
});
