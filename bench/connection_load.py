# SPDX-License-Identifier: GPL-3.0-or-later
"""Background connections for the token-service benchmark: N idle and M
byte-a-second (trickling) connections kept open against one port while the
benchmark runs. A connection the service closes (idle or read timeout) is
opened again at once, so the load stays the same whatever the service's
timeouts; the reopenings are counted."""

import select
import socket
import threading
import time

TRICKLE_REQUEST = (b"POST /tokens/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                   b"X-Padding: " + b"p" * 200 + b"\r\nContent-Length: 2\r\n\r\n{}")


class ConnectionLoad:
    def __init__(self, port, idle, trickle):
        self.port = port
        self.wanted = {"idle": idle, "trickle": trickle}
        self.sockets = {}  # socket -> [kind, bytes sent]
        self.reopened = {"idle": 0, "trickle": 0}
        self.connect_failures = 0
        self.stopping = threading.Event()
        self.thread = None

    def __enter__(self):
        for kind, count in self.wanted.items():
            for _ in range(count):
                self._open(kind)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        if self.thread:
            self.thread.join(timeout=30)
        for sock in list(self.sockets):
            sock.close()
        self.sockets.clear()

    def counts(self):
        return {"idle": self.wanted["idle"], "trickle": self.wanted["trickle"],
                "reopened_idle": self.reopened["idle"], "reopened_trickle": self.reopened["trickle"],
                "connect_failures": self.connect_failures}

    def _open(self, kind):
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        except OSError:
            self.connect_failures += 1
            return
        sock.setblocking(False)
        self.sockets[sock] = [kind, 0]

    def _replace(self, sock):
        kind = self.sockets.pop(sock)[0]
        sock.close()
        self.reopened[kind] += 1
        self._open(kind)

    def _run(self):
        next_byte = time.monotonic() + 1.0
        while not self.stopping.is_set():
            missing = {kind: count - sum(1 for k, _ in self.sockets.values() if k == kind)
                       for kind, count in self.wanted.items()}
            for kind, count in missing.items():
                for _ in range(count):
                    self._open(kind)  # after connect failures
            # poll, not select: the descriptors go past FD_SETSIZE (1024).
            poller = select.poll()
            by_fd = {}
            for sock in self.sockets:
                poller.register(sock, select.POLLIN)
                by_fd[sock.fileno()] = sock
            wait_ms = int(1000 * max(0.0, min(0.2, next_byte - time.monotonic())))
            for fd, _ in poller.poll(wait_ms):
                sock = by_fd[fd]
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    self._replace(sock)  # the service closed it: the load stays the same
            if time.monotonic() >= next_byte:
                next_byte += 1.0
                for sock, state in list(self.sockets.items()):
                    if state[0] != "trickle":
                        continue
                    if state[1] >= len(TRICKLE_REQUEST):
                        self._replace(sock)
                        continue
                    try:
                        sock.send(TRICKLE_REQUEST[state[1]:state[1] + 1])
                        state[1] += 1
                    except OSError:
                        self._replace(sock)
