/**
 * A minimal LSP client, as an editor is one: JSON-RPC 2.0 framed with Content-Length headers over a
 * child process's stdin/stdout. It records every notification so a test can wait for the next one.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

interface Message {
  jsonrpc: '2.0';
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

interface Waiter {
  method: string;
  match: (params: unknown) => boolean;
  resolve: (params: unknown) => void;
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly stderr: string[] = [];
  /** Every request from the server (registrations …), in order; each is answered with null. */
  readonly requests: { method: string; params: unknown }[] = [];
  /** Every notification from the server, in order. */
  readonly notifications: { method: string; params: unknown; at: number }[] = [];
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void }>();
  private waiters: Waiter[] = [];
  readonly exited: Promise<number | null>;

  constructor(command: string, args: string[], cwd: string) {
    this.proc = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(
        /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1],
      );
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined && m.method === undefined) {
      this.pending.get(m.id)?.resolve(m);
      this.pending.delete(m.id);
      return;
    }
    if (m.id !== undefined) {
      // a request from the server (e.g. client/registerCapability): accept it, as an editor would
      this.requests.push({ method: m.method ?? '', params: m.params });
      this.send({ jsonrpc: '2.0', id: m.id, result: null });
      return;
    }
    this.notifications.push({ method: m.method!, params: m.params, at: performance.now() });
    const waiter = this.waiters.find((w) => w.method === m.method && w.match(m.params));
    if (waiter) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(m.params);
    }
  }

  private send(m: Message): void {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  async request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    const reply = new Promise<Message>((resolve) => this.pending.set(id, { resolve }));
    this.send({ jsonrpc: '2.0', id, method, params });
    const m = await reply;
    if (m.error) throw new Error(`${method}: ${m.error.message}`);
    return m.result as T;
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The next notification of `method` whose params match (one that arrives after this call). */
  next<T = unknown>(
    method: string,
    match: (params: T) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${method} within ${timeoutMs} ms; stderr: ${this.stderr.join('')}`));
      }, timeoutMs);
      const waiter: Waiter = {
        method,
        match: (p) => match(p as T),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p as T);
        },
      };
      this.waiters.push(waiter);
    });
  }
}
