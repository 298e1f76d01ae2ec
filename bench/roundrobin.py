#!/usr/bin/env python3
"""A tiny round-robin TCP proxy: bench/run's PROCESSES=2 puts two `maillage serve` behind one address.

Usage: roundrobin.py LISTEN_HOST:PORT BACKEND_HOST:PORT [BACKEND_HOST:PORT ...]

Each accepted connection goes to the next backend in turn and its bytes are copied both ways
until either side closes; keep-alive connections (wrk's) therefore stay on one process, and
successive connections alternate. Flow control: a side whose peer cannot keep up stops being read.
On SIGTERM or SIGINT it prints how many connections each backend received, then exits.
Standard library only (asyncio protocols, not streams: fewer copies and wake-ups per chunk).
"""
import asyncio
import signal
import sys


def address(text):
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


class Side(asyncio.Protocol):
    """One end of a proxied connection; `peer` is the other end once both are connected."""

    def __init__(self):
        self.transport = None
        self.peer = None
        self.pending = []  # bytes received before the peer was connected
        self.closed = False

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        if self.peer is not None and self.peer.transport is not None:
            self.peer.transport.write(data)
        else:
            self.pending.append(data)

    def eof_received(self):
        self.close_peer()
        return False  # close this side too

    def connection_lost(self, exc):
        self.closed = True
        self.close_peer()

    def close_peer(self):
        if self.peer is not None and self.peer.transport is not None and not self.peer.closed:
            self.peer.transport.close()  # sends what is still buffered, then closes

    # The peer's transport asks us to stop: its write buffer is full.
    def pause_writing(self):
        if self.peer is not None and self.peer.transport is not None:
            self.peer.transport.pause_reading()

    def resume_writing(self):
        if self.peer is not None and self.peer.transport is not None:
            self.peer.transport.resume_reading()


class Client(Side):
    def __init__(self, proxy):
        super().__init__()
        self.proxy = proxy

    def connection_made(self, transport):
        super().connection_made(transport)
        transport.pause_reading()  # nothing to forward to yet
        asyncio.get_running_loop().create_task(self.connect())

    async def connect(self):
        index = self.proxy.next_backend()
        host, port = self.proxy.backends[index]
        loop = asyncio.get_running_loop()
        try:
            _, backend = await loop.create_connection(Side, host, port)
        except OSError as error:
            self.proxy.failures[index] += 1
            print(f"roundrobin: backend {host}:{port} refused a connection: {error}", file=sys.stderr, flush=True)
            self.transport.close()
            return
        if self.closed:
            backend.transport.close()
            return
        self.proxy.connections[index] += 1
        backend.peer, self.peer = self, backend
        for chunk in self.pending:
            backend.transport.write(chunk)
        self.pending.clear()
        self.transport.resume_reading()


class Proxy:
    def __init__(self, backends):
        self.backends = backends
        self.turn = 0
        self.connections = [0] * len(backends)
        self.failures = [0] * len(backends)

    def next_backend(self):
        index = self.turn
        self.turn = (self.turn + 1) % len(self.backends)
        return index

    def summary(self):
        parts = []
        for (host, port), count, failed in zip(self.backends, self.connections, self.failures):
            parts.append(f"{host}:{port} {count} connections" + (f" ({failed} refused)" if failed else ""))
        return "roundrobin: " + ", ".join(parts)


async def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    listen_host, listen_port = address(argv[1])
    proxy = Proxy([address(a) for a in argv[2:]])
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Client(proxy), listen_host, listen_port, reuse_address=True, backlog=1024)
    stop = loop.create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda: stop.done() or stop.set_result(None))
    print(f"roundrobin: {listen_host}:{listen_port} -> " + ", ".join(f"{h}:{p}" for h, p in proxy.backends), flush=True)
    await stop
    server.close()
    print(proxy.summary(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv)))
