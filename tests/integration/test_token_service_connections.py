# SPDX-License-Identifier: GPL-3.0-or-later
"""studyshare-service's evented front under connections that cost nothing
to open and used to cost a worker each: 1,000 idle and 100 byte-a-second
connections do not keep validations from succeeding; idle ones are closed
by the idle timeout, slowloris headers by the read timeout; one connection
over --max-connections is answered 503 or closed, never a crash; the size
limits answer 413/414/431 in JSON; keep-alive and pipelining still work, and
parallel validations stay correct.

No timing limit is asserted beyond generous waits: the waits only keep a
broken service from hanging the test."""

import concurrent.futures
import json
import resource
import select
import socket
import threading
import time

import pytest
import requests

from service_harness import (CALLER, CALLER_USERS, ORTHANC_ROOT, SECRET, Client, ServiceProcess, basic, new_study,
                             validation_body)

SETTINGS = {"SECRET_KEY": SECRET, "USERS": CALLER_USERS, "PUBLIC_ORTHANC_ROOT": ORTHANC_ROOT}
IDLE = 1000
TRICKLE = 100
GENEROUS = 60.0  # seconds: only for a broken service


def setup_module():
    # 1,100 sockets here, as many in the service (it inherits the limit).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(4096, hard)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft < 2 * (IDLE + TRICKLE) + 200:
        pytest.skip("RLIMIT_NOFILE is %d (hard %d): too few sockets for %d connections"
                    % (soft, hard, IDLE + TRICKLE))


def connect(service):
    sock = socket.create_connection(("127.0.0.1", service.port), timeout=GENEROUS)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_response(stream):
    """One HTTP/1.1 response from a binary file object: (status, headers, body)."""
    status_line = stream.readline()
    if not status_line:
        return None
    status = int(status_line.split()[1])
    headers = {}
    while True:
        line = stream.readline()
        assert line, "connection closed inside the response headers"
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = stream.read(int(headers.get("content-length", "0")))
    return status, headers, body


def raw_request(method, path, body=b"", headers=None):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1"]
    for name, value in (headers or {}).items():
        lines.append("%s: %s" % (name, value))
    if body or method in ("POST", "PUT"):
        lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def closed_by_peer(sock, timeout):
    """True once the service closed ``sock`` (EOF or reset) within ``timeout``
    (0: as it is now); bytes it sends before closing are read and dropped."""
    deadline = time.monotonic() + timeout
    poller = select.poll()  # not select(): the descriptors here go past FD_SETSIZE
    poller.register(sock, select.POLLIN)
    while True:
        if poller.poll(int(1000 * max(0.0, deadline - time.monotonic()))):
            try:
                if not sock.recv(65536):
                    return True
            except (ConnectionResetError, ConnectionAbortedError):
                return True
        elif time.monotonic() >= deadline:
            return False


class Trickler:
    """Sockets that send a request one byte a second, from one thread."""

    REQUEST = raw_request("POST", "/tokens/validate", b'{"level": "system", "method": "get", "uri": "/system"}',
                          {"Authorization": basic(*CALLER), "Content-Type": "application/json"})

    def __init__(self, service, count):
        self.sockets = [connect(service) for _ in range(count)]
        self.sent = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopping.is_set() and self.sent < len(self.REQUEST):
            for sock in self.sockets:
                try:
                    sock.send(self.REQUEST[self.sent:self.sent + 1])
                except OSError:
                    pass  # closed by the read timeout: fine, it stays closed
            self.sent += 1
            self.stopping.wait(1.0)

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=GENEROUS)
        for sock in self.sockets:
            sock.close()


def validate_many(client, token, study, other, count, workers):
    """``count`` validations in parallel, alternately of the shared study
    (granted) and another (refused): every answer is checked."""
    def one(index):
        granted = index % 2 == 0
        answer = client.validate(validation_body(token, study if granted else other))
        assert answer["granted"] is granted, (index, answer)
        return True

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(one, range(count)))


def test_validations_succeed_beside_idle_and_trickling_connections():
    args = ["--idle-timeout", "5", "--read-timeout", "120"]
    with ServiceProcess(settings=SETTINGS, args=args) as service:
        client = Client(service)
        study, other = new_study(), new_study()
        token = client.token("stone-viewer-publication", [study])
        idle = [connect(service) for _ in range(IDLE)]
        trickler = Trickler(service, TRICKLE)
        try:
            time.sleep(1.5)  # every trickler has sent its first bytes: each holds a request open
            assert validate_many(client, token, study, other, 200, 8) == 200
            # While the idle and trickling connections are still open.
            assert trickler.sent < len(Trickler.REQUEST)
            assert service.running
            # The idle ones are closed by the idle timeout; the trickling
            # ones, mid-request, are not (their read timeout is far off).
            still_open = [s for s in idle if not closed_by_peer(s, 0.0)]
            deadline = time.monotonic() + GENEROUS
            while still_open and time.monotonic() < deadline:
                still_open = [s for s in still_open if not closed_by_peer(s, 0.2)]
            assert not still_open, "%d idle connections never closed" % len(still_open)
            assert not any(closed_by_peer(s, 0.0) for s in trickler.sockets)
            assert validate_many(client, token, study, other, 20, 4) == 20
        finally:
            trickler.close()
            for sock in idle:
                sock.close()


def test_slowloris_headers_are_closed_after_the_read_timeout():
    with ServiceProcess(settings=SETTINGS, args=["--read-timeout", "1"]) as service:
        sock = connect(service)
        try:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            closed = False
            for index in range(int(GENEROUS / 0.25)):
                try:
                    sock.sendall(b"X-Slow-%d: a\r\n" % index)  # headers that never end
                except OSError:
                    closed = True
                    break
                if closed_by_peer(sock, 0.25):
                    closed = True
                    break
            assert closed, "a request whose headers never end was not closed"
            assert requests.get(service.url + "/health", timeout=10).status_code == 200
        finally:
            sock.close()


def test_a_connection_over_the_maximum_is_refused_never_a_crash():
    with ServiceProcess(settings=SETTINGS, args=["--max-connections", "20", "--idle-timeout", "120"]) as service:
        held = []
        try:
            # Until the service is full: a kept-alive connection that got
            # its answer holds a slot.
            while len(held) < 20:
                sock = connect(service)
                sock.sendall(raw_request("GET", "/health"))
                answer = read_response(sock.makefile("rb"))
                assert answer is not None and answer[0] == 200, answer
                held.append(sock)
            refused = 0
            for _ in range(30):
                sock = connect(service)
                try:
                    sock.sendall(raw_request("GET", "/health"))
                    answer = read_response(sock.makefile("rb"))
                except (ConnectionResetError, BrokenPipeError):
                    answer = None
                if answer is not None:
                    status, headers, body = answer
                    assert status == 503, answer
                    assert json.loads(body)["error"] == "busy"
                    assert headers["connection"] == "close"
                    refused += 1
                sock.close()
            assert refused > 0, "no connection over the maximum was answered 503"
            assert service.running
            # The held connections still work, and once they close there
            # is room again.
            stream = held[0].makefile("rb")
            held[0].sendall(raw_request("GET", "/health"))
            assert read_response(stream)[0] == 200
        finally:
            for sock in held:
                sock.close()
        # The registry frees a slot when the socket closes on the service's side too.
        deadline = time.monotonic() + GENEROUS
        while time.monotonic() < deadline:
            try:
                if requests.get(service.url + "/health", timeout=10).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        assert requests.get(service.url + "/health", timeout=10).status_code == 200
        assert service.running


def test_keep_alive_and_pipelined_requests_on_one_connection():
    with ServiceProcess(settings=SETTINGS) as service:
        sock = connect(service)
        try:
            stream = sock.makefile("rb")
            for _ in range(3):
                sock.sendall(raw_request("GET", "/health"))
                status, headers, body = read_response(stream)
                assert status == 200 and json.loads(body) == {"status": "ok"}
                assert headers.get("connection", "keep-alive") != "close"
            # Two requests in one write: two answers, in order.
            sock.sendall(raw_request("GET", "/health") + raw_request("GET", "/nowhere"))
            assert read_response(stream)[0] == 200
            status, headers, body = read_response(stream)
            assert status == 404 and "/nowhere" in json.loads(body)["message"]
            # HEAD: the headers of GET, no body.
            sock.sendall(raw_request("HEAD", "/health"))
            status_line = stream.readline()
            assert b" 200 " in status_line
            while stream.readline() not in (b"\r\n", b""):
                pass
            sock.sendall(raw_request("GET", "/health", headers={"Connection": "close"}))
            status, headers, _ = read_response(stream)
            assert status == 200 and headers["connection"] == "close"
            assert closed_by_peer(sock, GENEROUS)
        finally:
            sock.close()


@pytest.mark.parametrize("case,status", [("body", 413), ("headers", 431), ("uri", 414), ("garbage", 400)])
def test_size_limits_and_bad_http_answer_json(case, status):
    with ServiceProcess(settings=SETTINGS) as service:
        auth = {"Authorization": basic(*CALLER), "Content-Type": "application/json"}
        request = {
            "body": raw_request("POST", "/tokens/validate", b"x" * ((1 << 20) + 1), auth),
            "headers": raw_request("GET", "/health", headers={"X-Big-%d" % i: "v" * 1000 for i in range(20)}),
            "uri": raw_request("GET", "/health?" + "q" * 9000),
            "garbage": b"NOT HTTP AT ALL\r\n\r\n",
        }[case]
        sock = connect(service)
        try:
            try:
                sock.sendall(request)
            except (ConnectionResetError, BrokenPipeError):
                pass  # answered and closed before the whole body was sent: read the answer anyway
            answer = read_response(sock.makefile("rb"))
            assert answer is not None
            got, headers, body = answer
            assert got == status, answer
            assert headers["content-type"].startswith("application/json")
            assert json.loads(body)["message"]
            assert headers["connection"] == "close"
        finally:
            sock.close()
        assert requests.get(service.url + "/health", timeout=10).status_code == 200


def test_parallel_validations_stay_correct():
    with ServiceProcess(settings=SETTINGS, args=["--threads", "4", "--io-threads", "2"]) as service:
        client = Client(service)
        study, other = new_study(), new_study()
        token = client.token("stone-viewer-publication", [study])
        assert validate_many(client, token, study, other, 400, 16) == 400
        assert not [e for e in service.log_events() if e.get("level") == "error"]
