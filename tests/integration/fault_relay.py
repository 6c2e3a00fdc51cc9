# SPDX-License-Identifier: GPL-3.0-or-later
"""A tiny TCP server on loopback that stands between a client and a real
server and misbehaves on demand (for fault tests):

    relay = FaultRelay(("127.0.0.1", service_port)).start()
    relay.mode = "forward"      # relay both ways, byte for byte
    relay.mode = "stall"        # accept, read, never answer
    relay.mode = "close"        # accept, read, close without a word
    relay.mode = b"..."         # read the request, answer these bytes, close
    relay.stop()

It runs in a thread of the test process. Changing the mode closes every
open connection, so a client's kept-alive connection cannot carry on in the
old mode: its next request meets the new one."""

import socket
import threading


class FaultRelay:
    def __init__(self, target):
        self.target = target
        self._mode = "forward"
        self.connections = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self._stopping = threading.Event()
        self._open = []
        self._lock = threading.Lock()

    @property
    def mode(self):
        return self._mode

    @mode.setter
    def mode(self, value):
        self._mode = value
        self._close_open()

    def _close_open(self):
        with self._lock:
            sockets, self._open = self._open, []
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass

    def start(self):
        self._listener.listen(64)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self):
        self._stopping.set()
        self._listener.close()
        self._close_open()

    def _keep(self, s):
        with self._lock:
            self._open.append(s)
        return s

    def _accept(self):
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(self._keep(client), self.mode), daemon=True).start()

    @staticmethod
    def _read_request(client):
        """Reads one HTTP request (headers and a Content-Length body)."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = client.recv(65536)
            if not chunk:
                break
            body += chunk
        return data

    def _serve(self, client, mode):
        try:
            if mode == "forward":
                upstream = self._keep(socket.create_connection(self.target, timeout=30))
                threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
                self._pipe(client, upstream)
                return
            self._read_request(client)
            if mode == "stall":
                self._stopping.wait()
            elif isinstance(mode, bytes):
                client.sendall(mode)
        except OSError:
            pass
        finally:
            if mode != "forward":
                client.close()

    @staticmethod
    def _pipe(source, sink):
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
