/**
 * The image's HEALTHCHECK: exits 0 when the service in this container answers
 * GET /health on its own port (PORT, as the service reads it), 1 when not.
 * Orchestrators use their own probes (Kubernetes: the manifests' httpGet).
 */
const port = process.env.PORT || '8080';
fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_500) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
