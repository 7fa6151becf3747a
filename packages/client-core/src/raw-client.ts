/** `CoreClient.raw`: the typed openapi-fetch client on the client's base URL, headers and credentials. */
import createClient, { type Client } from "openapi-fetch";
import type { ProviderDefinition } from "./client.js";
import type { ClientOptions } from "./types.js";

/** The public escape hatch: openapi-fetch on the same base URL and headers, plus the provider's credentials. */
export function rawClient<Paths extends {}>(
  baseUrl: string,
  headers: Record<string, string>,
  options: ClientOptions,
  provider: ProviderDefinition,
): Client<Paths> {
  const raw = createClient<Paths>({
    ...options.fetchOptions,
    baseUrl,
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const authenticate = provider.authenticate;
  if (authenticate) {
    raw.use({
      async onRequest({ request }) {
        const credentials = await authenticate({ refresh: false, rejected: undefined, signal: request.signal });
        for (const [name, value] of Object.entries(credentials)) request.headers.set(name, value);
        return request;
      },
    });
  }
  return raw;
}
