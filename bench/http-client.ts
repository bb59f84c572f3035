import { fork, type ChildProcess } from 'node:child_process';

/**
 * An HTTP client in a process of its own, so reading a multi-megabyte answer does not share the
 * server's event loop: the parent asks for a GET over IPC, the child times it with its own clock
 * (request sent → whole body read; Node's fetch, keep-alive) and answers with the figure.
 */
interface Ask {
  url: string;
  headers: Record<string, string>;
}
export interface Got {
  ms: number;
  /** The client process's CPU for this request (user + system). */
  cpuMs: number;
  status: number;
  bytes: number;
}

export interface HttpClient {
  get(url: string, headers: Record<string, string>): Promise<Got>;
  close(): Promise<void>;
}

export const startHttpClient = (): HttpClient => {
  const child: ChildProcess = fork(__filename, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let pending: { resolve: (g: Got) => void; reject: (e: Error) => void } | undefined;
  child.on('message', (m: Got | { error: string }) => {
    const p = pending;
    pending = undefined;
    if ('error' in m) p?.reject(new Error(m.error));
    else p?.resolve(m);
  });
  child.on('exit', (code) => pending?.reject(new Error(`the HTTP client process ended (${code})`)));
  return {
    get: (url, headers) =>
      new Promise<Got>((resolve, reject) => {
        if (pending) return reject(new Error('one request at a time'));
        pending = { resolve, reject };
        child.send({ url, headers } satisfies Ask);
      }),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
};

if (require.main === module && process.send) {
  process.on('message', (m: Ask) => {
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    fetch(m.url, { headers: m.headers })
      .then(async (r) => {
        const body = await r.arrayBuffer();
        const cpu = process.cpuUsage(cpu0);
        process.send!({ ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000, status: r.status, bytes: body.byteLength } satisfies Got);
      })
      .catch((e: unknown) => process.send!({ error: e instanceof Error ? e.message : String(e) }));
  });
  process.on('disconnect', () => process.exit(0));
}
