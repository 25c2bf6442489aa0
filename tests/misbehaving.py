"""Real servers on loopback that misbehave in one way each, for fail-closed tests."""

import socket
import threading


class Misbehaving:
    """Answers every request the same bad way: 'hang', 'status500', 'garbage', 'not-json'."""

    BODIES = {
        "status500": (b"500 Internal Server Error", b"{}"),
        "garbage": (b"200 OK", b'{"allowed": "yes"}'),
        "not-json": (b"200 OK", b"hello"),
        "allow-list": (b"200 OK", b"[true]"),
    }

    @classmethod
    def reply(cls, behaviour: str) -> bytes:
        status, body = cls.BODIES[behaviour]
        return b"HTTP/1.1 %s\r\nContent-Length: %d\r\n\r\n%s" % (status, len(body), body)

    def __init__(self, behaviour: str):
        self.behaviour = behaviour
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._held = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            if self.behaviour == "hang":
                self._held.append(connection)  # read nothing, answer nothing
                continue
            connection.recv(65536)
            connection.sendall(self.reply(self.behaviour))
            connection.close()

    def close(self):
        self.server.close()
        for connection in self._held:
            connection.close()
