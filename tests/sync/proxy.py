"""A loopback TCP proxy between a field station and the national server that breaks the link
on purpose. It reads each HTTP request whole (headers, then Content-Length bytes), then:
``cut_after`` bytes — forwards only that many and closes both sides (the link dropped
mid-upload); ``drop_answer`` — forwards the request, waits for the whole answer, and closes
the station's side without it (the national server applied the batch, the acknowledgement was
lost). ``after_request(n)`` is called once the n-th request went through (kill the server)."""

import socket
import threading
from collections.abc import Callable

Hook = Callable[[int], None]


class FaultyLink:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut_after: int | None = None
        self.drop_answer = False
        self.after_request: Hook | None = None
        self.requests = 0
        self.last_request = b""
        self.faults = 0
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.listener.close()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        with client:
            request = _read_request(client)
            self.requests += 1
            self.last_request = request
            number = self.requests
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
            except OSError:
                return  # the server is down: the station sees the link close
            with upstream:
                if self.cut_after is not None:
                    upstream.sendall(request[: self.cut_after])
                    self.cut_after, self.faults = None, self.faults + 1
                    return
                upstream.sendall(request)
                if self.after_request is not None:
                    self.after_request(number)
                answer = _read_all(upstream)
                if self.drop_answer:
                    self.drop_answer, self.faults = False, self.faults + 1
                    return
                client.sendall(answer)


def _read_request(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
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
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except OSError:
        pass
    return b"".join(chunks)
