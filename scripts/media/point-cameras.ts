/**
 * Points the camera records of a server's data dir at a gateway (run with the server stopped: it
 * holds the records in memory and writes them back on a status change).
 *
 *   npx tsx scripts/media/point-cameras.ts --data data --gateway http://10.1.2.3:8888 [--path '{id}']
 *   npx tsx scripts/media/point-cameras.ts --data data --csv cameras.csv      # cameraId,url[,kind]
 *   add --dry-run to only print what would change
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Storage } from '../../server/storage/store';
import { parseCameraCsv, pointCameras } from './gateway';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'data' },
    gateway: { type: 'string' },
    path: { type: 'string', default: '{id}' },
    csv: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});
if (!values.gateway && !values.csv) {
  console.error('give --gateway URL and/or --csv FILE');
  process.exit(2);
}
const storage = await Storage.openSqlite(values.data);
try {
  const { cameras } = await storage.loadGeography();
  const changed = pointCameras(cameras, {
    gateway: values.gateway,
    pathTemplate: values.path,
    explicit: values.csv ? parseCameraCsv(readFileSync(values.csv, 'utf8')) : undefined,
  });
  for (const c of changed.slice(0, 5)) console.log(`${c.id} ${c.name}: ${c.streamKind} ${c.streamUrl}`);
  if (changed.length > 5) console.log(`… and ${changed.length - 5} more`);
  if (!values['dry-run']) await storage.saveEntities('cameras', changed);
  console.log(
    `${changed.length} of ${cameras.length} camera records ${values['dry-run'] ? 'would change' : 'changed'}`,
  );
} finally {
  await storage.close();
}
