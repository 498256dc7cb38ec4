import { parseArgs } from 'node:util';
import { PRESETS, type ServerOptions } from './options';

/** Every flag of `npm run server`, with its help line: parsing and `--help` read the same table. */
const FLAGS = {
  host: {
    type: 'string',
    default: '127.0.0.1',
    help: 'H  listen address (default 127.0.0.1; the demo config is refused elsewhere)',
  },
  port: { type: 'string', default: '8080', help: 'N  port (default 8080; 0 picks a free one)' },
  data: { type: 'string', default: 'data', help: 'DIR  data directory (default ./data)' },
  config: { type: 'string', help: 'FILE  server config (default resources/config/demo.json)' },
  preset: { type: 'string', default: 'district', help: 'NAME  small | district | city (default district)' },
  seed: { type: 'string', default: '1', help: 'N  seed of the geography and the simulator (default 1)' },
  speed: { type: 'string', default: '1', help: 'X  simulated seconds per second (default 1)' },
  'history-days': { type: 'string', default: '0', help: 'N  fill N days of history at first start' },
  'no-sim': { type: 'boolean', default: false, help: '  serve without the simulator' },
  help: { type: 'boolean', default: false, help: '  print this list and exit' },
} as const;

export type CliResult =
  | { kind: 'help'; text: string }
  | { kind: 'error'; line: string }
  | { kind: 'run'; options: ServerOptions };

export function helpText(): string {
  const lines = Object.entries(FLAGS).map(([name, f]) => {
    const [arg, ...rest] = f.help.split('  ');
    return `  ${`--${name} ${arg}`.padEnd(20)}${rest.join('  ').trim()}`;
  });
  return ['GridWall case server: npm run server -- [flags]', ...lines].join('\n');
}

/** Node's parseArgs errors, said as what to do (its own messages mention `parseArgs` and positionals). */
function describeArgError(err: Error & { code?: string }): string {
  const flag = /'(-{1,2}[^'\s]+)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag ?? ''}: run with --help for the list of flags`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take/.test(err.message)
        ? `${flag ?? 'a flag'} takes no value: run with --help for the list of flags`
        : `${flag ?? 'a flag'} needs a value: run with --help for the list of flags`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']+)'/.exec(err.message)?.[1] ?? ''}: flags start with --; run with --help`;
    default:
      return `${err.message.split('\n')[0]}: run with --help for the list of flags`;
  }
}

/** `argv` without node and the script. Never throws and never exits: main decides. */
export function parseCli(argv: readonly string[]): CliResult {
  const options = Object.fromEntries(
    Object.entries(FLAGS).map(([name, { type, ...rest }]) => [
      name,
      'default' in rest ? { type, default: rest.default } : { type },
    ]),
  ) as { [K in keyof typeof FLAGS]: { type: (typeof FLAGS)[K]['type']; default?: string | boolean } };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    return { kind: 'error', line: describeArgError(err as Error) };
  }
  if (values.help) return { kind: 'help', text: helpText() };

  const numbers = { port: 0, seed: 0, speed: 0, 'history-days': 0 };
  for (const name of ['port', 'seed', 'speed', 'history-days'] as const) {
    const text = values[name] as string;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
      return { kind: 'error', line: `--${name} must be a non-negative number, got "${text}"` };
    }
    numbers[name] = n;
  }
  if (!Number.isInteger(numbers.port) || numbers.port > 65_535) {
    return { kind: 'error', line: `--port must be a whole number from 0 to 65535, got "${values.port}"` };
  }
  if (!(PRESETS as readonly string[]).includes(values.preset as string)) {
    return { kind: 'error', line: `--preset must be one of ${PRESETS.join(', ')}, got "${values.preset}"` };
  }
  return {
    kind: 'run',
    options: {
      host: values.host as string,
      port: numbers.port,
      dataDir: values.data as string,
      configPath: values.config as string | undefined,
      preset: values.preset as string,
      seed: numbers.seed,
      speed: numbers.speed || 1,
      historyDays: numbers['history-days'],
      simulate: !values['no-sim'],
    },
  };
}
