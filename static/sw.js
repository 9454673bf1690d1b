/* The service worker, served at /sw.js (scope "/") by campaign/domains/main/pwa.py, which puts
 * `self.SHELL` (the app shell's URLs, with their version) in front of this file.
 *
 * - The app shell (stylesheet, scripts, icons, the two offline pages) is cached at install.
 * - Purchase forms (/belanja/baru?toko=N, /t/N) are network-first and kept for offline use.
 * - A purchase POSTed without a connection goes into a Workbox background-sync queue ("belanja") and
 *   the user gets /luring/tersimpan ("tersimpan di ponsel ini"). The queue is sent when the browser
 *   says it is back online (a sync event, or the page's "online" event, or the next start).
 * - Sending: a fresh copy of the form is fetched first, with the session cookie, for a fresh CSRF
 *   token and to check the account is still the one that saved the purchase; the form's client_ref
 *   travels unchanged, so the server counts a replay of a purchase it already has once.
 */
/* global importScripts, workbox */
importScripts(
  "/static/vendor/workbox/workbox-core.prod.js",
  "/static/vendor/workbox/workbox-routing.prod.js",
  "/static/vendor/workbox/workbox-strategies.prod.js",
  "/static/vendor/workbox/workbox-expiration.prod.js",
  "/static/vendor/workbox/workbox-background-sync.prod.js"
);

const SHELL_CACHE = "wt-shell-v1";
const PAGE_CACHE = "wt-halaman-v1";
const SAVED_PAGE = "/luring/tersimpan";
const OFFLINE_PAGE = "/luring";
const FORM_PATH = "/belanja/baru";
const { Queue } = workbox.backgroundSync;
const { registerRoute, setCatchHandler } = workbox.routing;
const { NetworkFirst, CacheFirst } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;

workbox.core.clientsClaim();
self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(self.SHELL)));
});
self.addEventListener("activate", (event) => {
  const keep = [SHELL_CACHE, PAGE_CACHE];
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((n) => n.startsWith("wt-") && !keep.includes(n)).map((n) => caches.delete(n)))));
});

// --- the queue --------------------------------------------------------------------------------

let sending = null;
const queue = new Queue("belanja", { maxRetentionTime: 14 * 24 * 60, onSync: () => sendWaiting() });
// Refused by the server when sent (say, a date outside the campaign): kept so /saya can say so.
const refused = new Queue("belanja-ditolak", { maxRetentionTime: 14 * 24 * 60, onSync: async () => {} });

function sendWaiting() {
  sending = sending || sendAll().finally(() => { sending = null; });
  return sending;
}

async function sendAll() {
  let entry;
  let sent = 0;
  try {
    while ((entry = await queue.shiftRequest())) {
      const outcome = await sendOne(entry);
      if (outcome === "later") {
        await queue.unshiftRequest(entry);
        break;
      }
      sent += outcome === "sent" ? 1 : 0;
    }
  } catch (error) {  // offline again: the entry goes back, the next sync tries again
    if (entry) await queue.unshiftRequest(entry);
  }
  await tellPages({ type: "antrean", sent });
}

async function sendOne(entry) {
  const fields = new URLSearchParams(await entry.request.clone().text());
  const form = await fetch(`${FORM_PATH}?toko=${encodeURIComponent(fields.get("shop_id") || "")}`,
    { credentials: "same-origin", cache: "no-store" });
  const html = await form.text();
  const token = /name="csrf_token" type="hidden" value="([^"]+)"/.exec(html);
  const account = /name="akun" type="hidden" value="([^"]*)"/.exec(html);
  if (!form.ok || !token || !account || account[1] !== fields.get("akun")) return "later";  // signed out, or another account
  fields.set("csrf_token", token[1]);
  let response = await post(fields);
  let page = null;
  if (response.ok && new URL(response.url).pathname === FORM_PATH) {
    // "15rb" comes back once as "Dibaca sebagai Rp15.000" with the field rewritten as 15.000: the
    // person typed it before going offline, so the reading is confirmed with the rewritten value.
    page = await response.text();
    const amount = /<input[^>]*id="amount"[^>]*value="([^"]*)"/.exec(page);
    const again = /name="csrf_token" type="hidden" value="([^"]+)"/.exec(page);
    if (page.includes('class="confirm"') && amount && again) {
      fields.set("amount", amount[1]);
      fields.set("csrf_token", again[1]);
      response = await post(fields);
      page = null;
    }
  }
  if (response.status === 429 || response.status >= 500) return "later";
  if (new URL(response.url).pathname === "/saya") return "sent";
  page = page || await response.text();
  const reason = /<p class="(?:error|flash flash-error)"[^>]*>([^<]+)</.exec(page);
  await refused.pushRequest({ request: entry.request, metadata: { ...entry.metadata, reason: reason ? reason[1] : "" } });
  return "refused";
}

function post(fields) {
  return fetch(FORM_PATH, {
    method: "POST", credentials: "same-origin", body: fields,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

async function tellPages(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

async function waiting() {
  const list = async (q, state) => (await q.getAll()).map((e) => ({ ...e.metadata, state, timestamp: e.timestamp }));
  return [...await list(queue, "menunggu"), ...await list(refused, "ditolak")];
}

self.addEventListener("message", (event) => {
  const port = event.ports[0];
  if (event.data === "kirim") event.waitUntil(sendWaiting().then(() => port && port.postMessage("ok")));
  if (event.data === "daftar" && port) event.waitUntil(waiting().then((items) => port.postMessage(items)));
  if (event.data === "hapus-ditolak") event.waitUntil(clearRefused().then(() => port && port.postMessage("ok")));
});

async function clearRefused() {
  while (await refused.shiftRequest()) { /* drained */ }
}

// --- routes -----------------------------------------------------------------------------------

async function keepPurchase({ request }) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {  // no connection: keep it on the phone
    const fields = new URLSearchParams(await copy.clone().text());
    await queue.pushRequest({ request: copy, metadata: {
      shop: fields.get("shop_name") || "", amount: fields.get("amount") || "",
      date: fields.get("purchased_on") || "", ref: fields.get("client_ref") || "" } });
    return (await caches.match(SAVED_PAGE)) || new Response("Belanja tersimpan di ponsel ini dan akan dikirim.",
      { headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
registerRoute(({ url, request }) => url.pathname === FORM_PATH && request.method === "POST", keepPurchase, "POST");

// Signing out empties the cached forms: the next person on this phone starts clean.
registerRoute(({ url }) => url.pathname === "/keluar", async ({ request }) => {
  const response = await fetch(request);
  await caches.delete(PAGE_CACHE);
  return response;
}, "POST");

const isForm = ({ url, request }) => request.mode === "navigate"
  && ((url.pathname === FORM_PATH && /^\?toko=\d+$/.test(url.search)) || /^\/t\/\d+$/.test(url.pathname));
registerRoute(isForm, new NetworkFirst({
  cacheName: PAGE_CACHE, networkTimeoutSeconds: 6,
  plugins: [new ExpirationPlugin({ maxEntries: 30, maxAgeSeconds: 14 * 24 * 60 * 60 })],
}));

registerRoute(({ url }) => url.pathname.startsWith("/static/"), new CacheFirst({
  cacheName: SHELL_CACHE, plugins: [new ExpirationPlugin({ maxEntries: 40 })],
}));

// Any other page while offline: the offline page instead of the browser's error.
registerRoute(({ request }) => request.mode === "navigate", async ({ request }) => {
  try {
    return await fetch(request);
  } catch (error) {
    return (await caches.match(OFFLINE_PAGE)) || Response.error();
  }
});
setCatchHandler(async ({ request }) =>
  (request.mode === "navigate" && (await caches.match(OFFLINE_PAGE))) || Response.error());

sendWaiting();  // anything left from an earlier run goes as soon as this worker starts
