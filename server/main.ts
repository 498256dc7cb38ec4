import { parseCli } from './app/cli';

/** `npm run server -- --help` lists the flags. Every failed start is one line on stderr and a non-zero exit. */
const cli = parseCli(process.argv.slice(2));
if (cli.kind === 'help') {
  console.log(cli.text);
  process.exit(0);
}
if (cli.kind === 'error') {
  console.error(`GridWall server: ${cli.line}`);
  process.exit(2);
}
const options = cli.options;
// Imported after the flags are read: a wrong flag is answered without loading the whole server.
const { startServer } = await import('./app/start');
const { describeStartupError } = await import('./app/preflight');

try {
  const server = await startServer(options);
  console.log(`GridWall server listening on ${server.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`GridWall server stopped, but ${describeStartupError(err, context())}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (err) {
  console.error(`GridWall server failed to start: ${describeStartupError(err, context())}`);
  process.exit(1);
}

function context() {
  return { dataDir: options.dataDir ?? 'data', host: options.host ?? '127.0.0.1', port: options.port ?? 8080 };
}
