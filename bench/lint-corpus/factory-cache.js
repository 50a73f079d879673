// A cache factory starts a sweep interval per cache, and the handle is thrown away.
function createCache() {
  const entries = new Map();
  setInterval(() => entries.clear(), 60_000); // leak: require-interval-cleanup
  return {
    get: (key) => entries.get(key),
    set: (key, value) => entries.set(key, value),
  };
}

module.exports = { createCache };
