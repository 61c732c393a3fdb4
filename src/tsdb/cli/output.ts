/** Where a tsdb command prints. `write` resolves once the sink can take more (backpressure). */
export interface TextSink {
  write(text: string): Promise<void>;
}

/** A sink over a writable stream (stdout), waiting for `drain` when the stream's buffer is full. */
export function streamSink(stream: NodeJS.WritableStream): TextSink {
  let failure: Error | undefined;
  stream.on("error", (err: Error) => (failure ??= err));
  return {
    write: (text) =>
      new Promise((resolve, reject) => {
        if (failure !== undefined) return reject(failure);
        if (stream.write(text)) return resolve();
        const done = () => {
          stream.off("drain", done);
          stream.off("error", done);
          if (failure !== undefined) reject(failure);
          else resolve();
        };
        stream.on("drain", done);
        stream.on("error", done);
      }),
  };
}

/** An in-memory sink; `text` holds everything written. */
export interface MemorySink extends TextSink {
  readonly text: string;
}

/** Creates an in-memory sink (tests, and callers that want the output as a string). */
export function memorySink(): MemorySink {
  let text = "";
  return {
    get text() {
      return text;
    },
    write: async (t) => {
      text += t;
    },
  };
}

/** Gathers lines and hands them to a sink in blocks of about `blockBytes` characters. */
export class LineBuffer {
  readonly #sink: TextSink;
  readonly #blockBytes: number;
  #parts: string[] = [];
  #size = 0;

  constructor(sink: TextSink, blockBytes = 64 * 1024) {
    this.#sink = sink;
    this.#blockBytes = blockBytes;
  }

  /** Adds one line (a newline is appended); flushes when the block is full. */
  async line(text: string): Promise<void> {
    this.#parts.push(text, "\n");
    this.#size += text.length + 1;
    if (this.#size >= this.#blockBytes) await this.flush();
  }

  /** Writes out whatever is gathered. */
  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const text = this.#parts.join("");
    this.#parts = [];
    this.#size = 0;
    await this.#sink.write(text);
  }
}
