/// <reference lib="webworker" />
/**
 * The console's service worker (served at /console-sw.js, scope /console). It keeps the console's
 * page and assets, so a supervisor who reloads while the server is away still gets the console,
 * with the outbox it left in IndexedDB ("offline, N commands waiting"). The data never comes from
 * here: /api, /socket.io and media always go to the network.
 *
 * Browsers allow service workers only in a secure context (https, or http on localhost/127.0.0.1);
 * elsewhere the console works as before, minus a reload during an outage.
 */
declare const self: ServiceWorkerGlobalScope;

const CACHE = 'gridwall-console-v1';
const PAGE_KEY = '/console';

const passThrough = (path: string): boolean =>
  path.startsWith('/api/') ||
  path.startsWith('/socket.io') ||
  path.startsWith('/media/') ||
  path === '/health' ||
  path === '/console-sw.js';

self.addEventListener('install', () => {
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/** The page sends what it loaded before this worker controlled it. */
self.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown; urls?: unknown } | null;
  if (data?.type !== 'cache' || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((u): u is string => typeof u === 'string');
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const u of urls) {
        const url = new URL(u, self.location.origin);
        if (url.origin !== self.location.origin || passThrough(url.pathname)) continue;
        const key = url.pathname === PAGE_KEY ? PAGE_KEY : url.href;
        if (await cache.match(key)) continue;
        try {
          const res = await fetch(url.href, { credentials: 'same-origin' });
          if (res.ok) await cache.put(key, res);
        } catch {
          // Offline already: nothing to add now.
        }
      }
      event.ports[0]?.postMessage({ type: 'cached', count: (await cache.keys()).length });
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || passThrough(url.pathname)) return;
  event.respondWith(respond(req, url));
});

async function respond(req: Request, url: URL): Promise<Response> {
  const cache = await caches.open(CACHE);
  const navigation = req.mode === 'navigate';
  const key = navigation ? PAGE_KEY : url.href;
  // Hashed assets never change under their name: the cache answers first.
  if (!navigation && url.pathname.startsWith('/assets/')) {
    const hit = await cache.match(key);
    if (hit) return hit;
  }
  try {
    const res = await fetch(req);
    if (res.ok && (navigation || url.pathname.startsWith('/assets/'))) await cache.put(key, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(key);
    if (hit) return hit;
    throw err;
  }
}

export {};
