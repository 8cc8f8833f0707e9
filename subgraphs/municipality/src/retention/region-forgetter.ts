import type { ForgetInRegion } from './cull';

/** The regional mutation `cull` calls through the gateway, with the municipality's own RETENTION_SERVICE token. */
export const FORGET_PLACEMENT_REQUESTS = `mutation ForgetCulledPlacementRequests($requestIds: [ID!]!) {
  forgetCulledPlacementRequests(requestIds: $requestIds) { placements placementEvents notificationEvents notificationDeliveries receivingBookingsDetached livePlacementsKept }
}`;

/** Request ids per call: a long list goes in several calls, each well under the gateway's body limit. */
const BATCH = 500;
/** Longest wait for the region's answer to one call, unless told otherwise. */
const REGION_TIMEOUT_MS = 60_000;
/** Said whenever the region may have done its part though no confirmation came: its removal is idempotent. */
const MAY_HAVE_REMOVED = 'The region may have removed them anyway: the next cull asks again';

/**
 * Asks the region, through the gateway, to remove what it holds under these placement request ids
 * of the caller's municipality (the region takes the municipality from the token, so a job can
 * only ever forget its own municipality's placements). Throws, with the region's error codes, when
 * the region does not confirm: then `cull` removes nothing.
 */
export function gatewayRegionForgetter(
  gatewayUrl: string,
  token: () => Promise<string>,
  /** `timeoutMs`: the longest wait for one call's answer (default 60 s). */
  options: { timeoutMs?: number } = {},
): ForgetInRegion {
  const timeoutMs = options.timeoutMs ?? REGION_TIMEOUT_MS;
  return async (requestIds) => {
    const total: Record<string, number> = {};
    for (let start = 0; start < requestIds.length; start += BATCH) {
      const authorization = `Bearer ${await token()}`;
      let response: Response;
      try {
        response = await fetch(gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query: FORGET_PLACEMENT_REQUESTS, variables: { requestIds: requestIds.slice(start, start + BATCH) } }),
          // The cull's transaction (and a hold placed meanwhile) waits for this answer: never for ever.
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        // No answer: the region may still have removed them (its removal is idempotent, the next run asks again).
        const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'the gateway could not be reached';
        throw new Error(`the region did not confirm removing the culled cases' placements (${why}); nothing was culled here. ${MAY_HAVE_REMOVED}`);
      }
      const body = (await response.json().catch(() => ({}))) as {
        data?: { forgetCulledPlacementRequests?: Record<string, number> };
        errors?: { extensions?: { code?: string; requestMayHaveTakenEffect?: boolean } }[];
      };
      const report = body.data?.forgetCulledPlacementRequests;
      if (!report || body.errors?.length) {
        // Codes only: a message could quote the ids sent.
        const codes = body.errors?.map((e) => e.extensions?.code ?? 'UNKNOWN').join(', ') ?? `HTTP ${response.status}`;
        // The gateway says when the regional subgraph may have carried the call out though no answer came (REGIONAL_SERVICE_UNAVAILABLE).
        const mayHaveRemoved = body.errors?.some((e) => e.extensions?.requestMayHaveTakenEffect) ? `. ${MAY_HAVE_REMOVED}` : '';
        throw new Error(`the region did not confirm removing the culled cases' placements (${codes}); nothing was culled${mayHaveRemoved}`);
      }
      for (const [what, count] of Object.entries(report)) total[what] = (total[what] ?? 0) + count;
    }
    return total;
  };
}
