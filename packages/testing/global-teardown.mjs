export default async function globalTeardown() {
  const server = globalThis.__SODERTORN_TEST_POSTGRES__;
  globalThis.__SODERTORN_TEST_POSTGRES__ = undefined;
  if (server) await server.stop();
}
