// The HTTP fetch port: what revocation checking (OCSP, CRLs) and AIA caIssuers fetching ask of the
// network. Stages take this interface; fetcher.ts is the real one, tests may hand in their own.

/** Why a fetch gave no body. */
export type FetchFailure =
  | 'offline' // fetching is turned off (--offline / the action's `offline`, or the inventory's network.fetch: false)
  | 'scheme' // not an http or https URL (ldap://, file://, …): never fetched
  | 'timeout' // no complete answer within the deadline
  | 'refused' // connection refused or host unreachable
  | 'dns' // the host name does not resolve
  | 'status' // an HTTP status other than 200
  | 'too-large' // the body is larger than the cap for this kind of object
  | 'redirects' // more than the allowed redirects, or a redirect to a URL that is not http/https
  | 'io'; // the connection failed otherwise (reset, TLS failure, malformed HTTP)

export interface FetchOk {
  ok: true;
  /** The URL asked for. */
  url: string;
  /** Where the body came from after redirects. */
  finalUrl: string;
  status: number;
  contentType: string | null;
  body: Buffer;
  elapsedMs: number;
}

export interface FetchFail {
  ok: false;
  url: string;
  reason: FetchFailure;
  /** For people; never holds bytes from the body. */
  message: string;
  elapsedMs: number;
}

export type FetchResult = FetchOk | FetchFail;

/** One HTTP request. */
export interface FetchRequest {
  url: string;
  method?: 'GET' | 'POST';
  body?: Buffer;
  contentType?: string;
  accept?: string;
  /** Largest body accepted (bytes). */
  maxBytes: number;
  /** Absolute deadline (epoch ms) of the caller; the fetch ends by then at the latest. */
  deadline?: number;
}

/** The port: bounded, cached, deadline-bound fetching of small signed objects over http(s). */
export interface HttpFetcher {
  /** True when every fetch answers 'offline' without touching the network. */
  readonly offline: boolean;
  /** Why fetching is off, in words for findings ("--offline" when not said). */
  readonly offlineReason?: string;
  /** One GET or POST; the same request (method, URL, body) is fetched at most once per fetcher. */
  fetch(req: FetchRequest): Promise<FetchResult>;
  /** OCSP over HTTP (RFC 6960 A.1): POST, and GET with the base64 request when the POST is refused. */
  ocsp(url: string, request: Buffer, opts: { maxBytes: number; deadline?: number }): Promise<FetchResult>;
}
