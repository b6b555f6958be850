/**
 * A `Response` over a body already read whole, for lambdas/adapters/http-fetch.ts.
 *
 * Node's own `Response` wraps every body in a WHATWG stream and reads `text()` back through it; for a
 * Slack API answer of a few hundred bytes that stream is most of the cost of the answer (docs/architecture.md,
 * "Facts that bite"). This one keeps the bytes and hands them over directly. It behaves as a Response does
 * where a caller can tell: the body reads once (`bodyUsed`, then a TypeError), `clone()` refuses a read body,
 * `text()` drops a leading byte-order mark. Whoever asks for the body as a stream (or as form data) gets a
 * real `Response` built from the same bytes, and from then on every read goes through that one.
 */
export class BufferedResponse implements Response {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
  readonly redirected = false;
  readonly type: Response['type'] = 'default';
  readonly #bytes: Buffer | null;
  #used = false;
  #real: Response | undefined;

  constructor(
    bytes: Buffer | null,
    init: { status: number; statusText: string; headers: Headers; url: string },
  ) {
    this.#bytes = bytes;
    this.status = init.status;
    this.statusText = init.statusText;
    this.headers = init.headers;
    this.url = init.url;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get bodyUsed(): boolean {
    return this.#real ? this.#real.bodyUsed : this.#used;
  }

  get body(): Response['body'] {
    return this.#stream().body;
  }

  // async, so that a second read rejects as a Response's does rather than throwing.
  async text(): Promise<string> {
    if (this.#real) return this.#real.text();
    const text = this.#take().toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#real) return this.#real.arrayBuffer();
    return new Uint8Array(this.#take()).buffer;
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], { type: this.headers.get('content-type') ?? '' });
  }

  async formData(): Promise<FormData> {
    return this.#stream().formData();
  }

  clone(): Response {
    if (this.#real) return this.#real.clone();
    if (this.#used) throw new TypeError('Response.clone: the body has already been read');
    return new BufferedResponse(this.#bytes, this);
  }

  /** The bytes, once: a body is read at most once, as a Response's is. */
  #take(): Buffer {
    if (this.#used) throw new TypeError('Body is unusable: the body has already been read');
    this.#used = true;
    return this.#bytes ?? Buffer.alloc(0);
  }

  #stream(): Response {
    if (!this.#real) {
      if (this.#used) throw new TypeError('Body is unusable: the body has already been read');
      this.#real = new Response(this.#bytes, {
        status: this.status,
        statusText: this.statusText,
        headers: this.headers,
      });
    }
    return this.#real;
  }
}
