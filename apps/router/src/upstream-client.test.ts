import { afterAll, expect, test } from 'bun:test';
import { createServer, type Server, type Socket } from 'node:net';
import { UpstreamClient, UpstreamConnectionError } from './upstream-client.ts';

/**
 * The pooled client against real servers on loopback: Bun.serve for what a normal upstream does, and a raw
 * TCP server for what a misbehaving one does (chunked framing split anywhere, closing mid-answer).
 */

const client = new UpstreamClient();
const servers: { stop(): unknown }[] = [];
afterAll(() => {
  client.close();
  for (const s of servers) s.stop();
});

const post = (url: string, body = '{}', signal = new AbortController().signal) =>
  client.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });

function serve(fetch: (request: Request, server: Bun.Server<undefined>) => Response | Promise<Response>) {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch });
  servers.push({ stop: () => server.stop(true) });
  return { url: `http://127.0.0.1:${server.port}`, server };
}

/** A TCP server that answers every request with `reply(socket)`; counts connections. */
async function rawServer(reply: (socket: Socket, request: string) => void) {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    let seen = '';
    socket.on('data', (d) => {
      seen += d.toString('latin1');
      const end = seen.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: (\d+)/i.exec(seen)?.[1] ?? 0);
      if (seen.length < end + 4 + length) return;
      const request = seen.slice(0, end + 4 + length);
      seen = seen.slice(end + 4 + length);
      reply(socket, request);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  servers.push({
    stop: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  });
  return { url: `http://127.0.0.1:${port}`, sockets };
}

test('sends the body with its headers and reads a content-length answer; connections are reused', async () => {
  const seen: { body: string; type: string | null; ip: string | undefined }[] = [];
  const { url, server } = serve(async (request, srv) => {
    seen.push({
      body: await request.text(),
      type: request.headers.get('content-type'),
      ip: `${srv.requestIP(request)?.port}`,
    });
    return Response.json({ echoed: seen.length }, { status: seen.length === 3 ? 418 : 200 });
  });
  void server;
  const body = JSON.stringify({ text: 'héllo 🌊'.repeat(10) });
  for (let i = 1; i <= 3; i++) {
    const response = await post(`${url}/v1/chat/completions?x=1`, body);
    expect(response.status).toBe(i === 3 ? 418 : 200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ echoed: i });
  }
  expect(seen.map((s) => s.body)).toEqual([body, body, body]);
  expect(seen[0]?.type).toBe('application/json');
  // One keep-alive connection carried all three (same client port).
  expect(new Set(seen.map((s) => s.ip)).size).toBe(1);
});

test('a large body goes out whole under backpressure', async () => {
  const { url } = serve(async (request) => new Response(String((await request.text()).length)));
  const body = 'x'.repeat(6 * 1024 * 1024);
  expect(await (await post(url, body)).text()).toBe(String(body.length));
});

test('a streamed (SSE, chunked) answer arrives event by event, before the upstream has finished', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const { url } = serve(
    () =>
      new Response(
        new ReadableStream({
          async start(controller) {
            controller.enqueue(new TextEncoder().encode('data: one\n\n'));
            await gate;
            controller.enqueue(new TextEncoder().encode('data: two\n\n'));
            controller.close();
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      ),
  );
  const response = await post(url);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  expect(decoder.decode((await reader.read()).value)).toBe('data: one\n\n');
  release();
  let rest = '';
  for (let next = await reader.read(); !next.done; next = await reader.read())
    rest += decoder.decode(next.value);
  expect(rest).toBe('data: two\n\n');
  // The connection went back to the pool after the terminating chunk: the next request works.
  expect((await post(url)).status).toBe(200);
});

test('chunked framing split at every byte boundary is reassembled', async () => {
  const payload = '{"a":"0123456789abcdef","b":[1,2,3]}';
  const chunks = [payload.slice(0, 7), payload.slice(7, 20), payload.slice(20)];
  const wire = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${chunks
    .map((c) => `${c.length.toString(16)};ext=1\r\n${c}\r\n`)
    .join('')}0\r\ntrailer: x\r\n\r\n`;
  const { url } = await rawServer((socket) => {
    // One byte per write, with pauses, so every boundary falls somewhere in the framing.
    let i = 0;
    const next = () => {
      if (i >= wire.length) return;
      socket.write(wire[i++]!);
      setTimeout(next, 0);
    };
    next();
  });
  expect(await (await post(url)).text()).toBe(payload);
  expect(await (await post(url)).text()).toBe(payload);
});

test('an answer without a length is read until the upstream closes', async () => {
  const { url } = await rawServer((socket) => {
    socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"until":"close"}');
  });
  expect(await (await post(url)).json()).toEqual({ until: 'close' });
});

test('an upstream that closes mid-answer fails the body; one that closes without answering fails the request', async () => {
  const cut = await rawServer((socket) => {
    socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"partial":');
  });
  await expect(post(cut.url)).rejects.toBeInstanceOf(UpstreamConnectionError);
  const streamCut = await rawServer((socket) => {
    socket.end(
      'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\nb\r\ndata: one\n\n\r\n',
    );
  });
  const response = await post(streamCut.url);
  await expect(response.text()).rejects.toThrow(/closed the connection/);
  const silent = await rawServer((socket) => socket.destroy());
  await expect(post(silent.url)).rejects.toThrow(/closed the connection without answering/);
});

test('a refused connection is an error naming the upstream', async () => {
  // Port 1 is privileged and unused (an ephemeral port freed for the test could be taken by another job).
  await expect(post('http://127.0.0.1:1/v1/messages')).rejects.toThrow('cannot connect to 127.0.0.1:1');
});

test('aborting closes the connection, so the upstream sees the client go, before and during the body', async () => {
  let upstreamSawAbort = 0;
  const { url } = serve(async (request) => {
    request.signal.addEventListener('abort', () => upstreamSawAbort++);
    if (new URL(request.url).pathname === '/hang') {
      await Bun.sleep(5000);
      return new Response('late');
    }
    return new Response(
      new ReadableStream({
        async pull(controller) {
          controller.enqueue(new TextEncoder().encode('data: tick\n\n'));
          await Bun.sleep(20);
        },
      }),
      { headers: { 'content-type': 'text/event-stream' } },
    );
  });
  const beforeHead = new AbortController();
  const pending = post(`${url}/hang`, '{}', beforeHead.signal);
  await Bun.sleep(50);
  beforeHead.abort(new DOMException('the upstream timeout passed', 'TimeoutError'));
  await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });

  const midStream = new AbortController();
  const response = await post(`${url}/stream`, '{}', midStream.signal);
  const reader = response.body!.getReader();
  await reader.read();
  midStream.abort();
  await expect(reader.read()).rejects.toBeDefined();
  for (let i = 0; i < 100 && upstreamSawAbort < 2; i++) await Bun.sleep(10);
  expect(upstreamSawAbort).toBe(2);
});

test('a pooled connection the upstream dropped while idle is not reused', async () => {
  let requests = 0;
  const { url, sockets } = await rawServer((socket) => {
    requests++;
    socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
  });
  expect(await (await post(url)).text()).toBe('ok');
  // The upstream drops the idle connection; the client learns it on its next use at the latest.
  for (const s of sockets) s.destroy();
  await Bun.sleep(20);
  expect(await (await post(url)).text()).toBe('ok');
  expect(requests).toBe(2);
});

test('a reused connection closed before any answer byte is retried once on a fresh one; a fresh one is not', async () => {
  // Each connection answers its first request and drops the second unanswered: what a client sees when it
  // picks a pooled socket just as the upstream's idle timeout closes it.
  const perConnection = new Map<Socket, number>();
  let received = 0;
  const { url } = await rawServer((socket) => {
    received++;
    const n = (perConnection.get(socket) ?? 0) + 1;
    perConnection.set(socket, n);
    if (n === 1) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    else socket.destroy();
  });
  expect(await (await post(url)).text()).toBe('ok');
  expect(await (await post(url)).text()).toBe('ok');
  expect(received).toBe(3);
  expect(perConnection.size).toBe(2);
  // On a fresh connection the same silence is an error, not a second attempt.
  const silent = await rawServer((socket) => socket.destroy());
  await expect(post(silent.url)).rejects.toBeInstanceOf(UpstreamConnectionError);
});

test('header values with line breaks are refused rather than sent', async () => {
  const { url } = serve(() => new Response('no'));
  await expect(
    client.request(url, {
      method: 'POST',
      headers: { 'anthropic-beta': 'x\r\nx-injected: 1' },
      body: '{}',
      signal: new AbortController().signal,
    }),
  ).rejects.toBeInstanceOf(TypeError);
});
