// IndexedDB on the tablet: cached data ("kv"), drafts, the outbox and a log of what was sent.
// One database per user, so two observers sharing a tablet never mix their outboxes.
const VERSION = 1;
let ready = null;

export function open(user) {
  ready = new Promise((resolve, reject) => {
    const request = indexedDB.open(`observer-tablet:${user}`, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("kv");
      db.createObjectStore("drafts");
      db.createObjectStore("outbox", { keyPath: "uuid" });
      db.createObjectStore("sent", { keyPath: "uuid" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return ready;
}

// Run `work(stores...)` in one transaction; resolves once it is committed to disk.
export async function transact(names, mode, work) {
  const db = await ready;
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    const request = work(...names.map((name) => tx.objectStore(name)));
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const get = (store, key) => transact([store], "readonly", (s) => s.get(key));
export const all = (store) => transact([store], "readonly", (s) => s.getAll());
export const keys = (store) => transact([store], "readonly", (s) => s.getAllKeys());
export const count = (store) => transact([store], "readonly", (s) => s.count());
export const remove = (store, key) => transact([store], "readwrite", (s) => s.delete(key));
export const put = (store, value, key) =>
  transact([store], "readwrite", (s) => (key === undefined ? s.put(value) : s.put(value, key)));
