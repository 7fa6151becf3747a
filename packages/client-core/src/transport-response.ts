/**
 * `Response` subclasses made by the Node transport. A body read in full is kept as bytes and
 * handed out by `text()`/`json()`/… directly, which costs a fraction of undici's stream-backed
 * `Response` (no `ReadableStream` unless `.body` is asked for); they are still real
 * `Response`s with the request's `url` and `redirected`.
 *
 * The classes are defined on first use: touching the global `Response` loads Node's whole fetch
 * implementation (about 20 ms), which importing a client should not pay.
 */

const decoder = new TextDecoder();
const unusable = () => Promise.reject(new TypeError("Body is unusable: Body has already been read"));

function defineResponses() {
  /** A `Response` that knows the URL it came from. */
  class NodeResponse extends Response {
    readonly #url: string;
    readonly #redirected: boolean;

    constructor(body: BodyInit | null, init: ResponseInit, url: string, redirected: boolean) {
      super(body, init);
      this.#url = url;
      this.#redirected = redirected;
    }

    override get url(): string {
      return this.#url;
    }

    override get redirected(): boolean {
      return this.#redirected;
    }
  }

  /** A `Response` whose body was read in full. */
  class BufferedResponse extends NodeResponse {
    #bytes: Uint8Array<ArrayBuffer>;
    #used = false;
    #stream: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;

    constructor(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit, url: string, redirected: boolean) {
      super(null, init, url, redirected);
      this.#bytes = bytes;
    }

    override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
      this.#stream ??= new ReadableStream<Uint8Array<ArrayBuffer>>({
        pull: (controller) => {
          this.#used = true;
          controller.enqueue(this.#bytes);
          controller.close();
        },
      });
      return this.#stream;
    }

    override get bodyUsed(): boolean {
      return this.#used;
    }

    /** The bytes, once; `undefined` when the body was read already or is read through `.body`. */
    #take(): Uint8Array<ArrayBuffer> | undefined {
      if (this.#used || this.#stream !== undefined) return undefined;
      this.#used = true;
      return this.#bytes;
    }

    #viaStream(): Response {
      return new Response(this.body, { headers: this.headers });
    }

    override text(): Promise<string> {
      if (this.#stream) return this.#viaStream().text();
      const bytes = this.#take();
      return bytes ? Promise.resolve(decoder.decode(bytes)) : unusable();
    }

    override json(): Promise<unknown> {
      return this.text().then((text) => JSON.parse(text));
    }

    override arrayBuffer(): Promise<ArrayBuffer> {
      if (this.#stream) return this.#viaStream().arrayBuffer();
      const bytes = this.#take();
      return bytes ? Promise.resolve(bytes.slice().buffer) : unusable();
    }

    override bytes(): Promise<Uint8Array<ArrayBuffer>> {
      return this.arrayBuffer().then((buffer) => new Uint8Array(buffer));
    }

    override blob(): Promise<Blob> {
      return this.arrayBuffer().then((buffer) => new Blob([buffer], { type: this.headers.get("content-type") ?? "" }));
    }

    override formData(): Promise<FormData> {
      return this.arrayBuffer().then((buffer) => new Response(buffer, { headers: this.headers }).formData());
    }

    override clone(): Response {
      if (this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
      const init = { status: this.status, statusText: this.statusText, headers: this.headers };
      if (this.#stream === undefined) return new BufferedResponse(this.#bytes, init, this.url, this.redirected);
      const [mine, theirs] = this.#stream.tee();
      this.#stream = mine;
      return new NodeResponse(theirs, init, this.url, this.redirected);
    }
  }

  return { NodeResponse, BufferedResponse };
}

let classes: ReturnType<typeof defineResponses> | undefined;

/** The transport's `Response` classes: `NodeResponse` (streamed body) and `BufferedResponse` (body read in full). */
export function responseClasses(): ReturnType<typeof defineResponses> {
  classes ??= defineResponses();
  return classes;
}
