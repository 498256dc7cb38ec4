import { parseArgs } from 'node:util';
import { startServer } from './app/start';

/** `npm run server -- --host 127.0.0.1 --port 8080 --data DIR --config FILE --preset NAME --seed N --speed X` */
const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8080' },
    data: { type: 'string', default: 'data' },
    config: { type: 'string' },
    preset: { type: 'string', default: 'district' },
    seed: { type: 'string', default: '1' },
    speed: { type: 'string', default: '1' },
    'history-days': { type: 'string', default: '0' },
    'no-sim': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (values.help) {
  console.log(`GridWall case server
  --host H           listen address (default 127.0.0.1; the demo config is refused elsewhere)
  --port N           port (default 8080; 0 picks a free one)
  --data DIR         data directory (default ./data)
  --config FILE      server config (default resources/config/demo.json)
  --preset NAME      small | district | city (default district)
  --seed N           seed of the geography and the simulator (default 1)
  --speed X          simulated seconds per second (default 1)
  --history-days N   fill N days of history at first start
  --no-sim           serve without the simulator`);
  process.exit(0);
}

const num = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number, got ${v}`);
    process.exit(2);
  }
  return n;
};

try {
  const server = await startServer({
    host: values.host,
    port: num('port', values.port),
    dataDir: values.data,
    configPath: values.config,
    preset: values.preset,
    seed: num('seed', values.seed),
    speed: num('speed', values.speed) || 1,
    historyDays: num('history-days', values['history-days']),
    simulate: !values['no-sim'],
  });
  console.log(`GridWall server listening on ${server.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (err: Error) => {
        console.error('shutdown failed:', err.message);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (err) {
  console.error(`GridWall server failed to start: ${(err as Error).message}`);
  process.exit(1);
}
