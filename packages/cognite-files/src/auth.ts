/** Cognite credentials: an access token, or a provider of one (fetched once, shared, renewed after a 401). */
import type { BearerToken } from "@org/client-core";

/** An access token, or an (async) provider of one, e.g. an OIDC client-credentials flow. */
export type CogniteToken = BearerToken;
