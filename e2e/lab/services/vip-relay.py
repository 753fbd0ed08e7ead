"""
The lab's VIP relay: the dashboard runs in the root namespace, where 10.77.0.0/24 does not exist, so
this daemon listens on 127.0.0.1 (one fixed port per VIP) and forwards every TCP connection into the
bridge namespace, to VIP:PORT. Whoever holds the VIP there (as the network sees it: ARP, not
keepalived's word) answers. Standard library only.

  python3 vip-relay.py NETNS_FILE LISTEN_PORT=VIP:PORT [LISTEN_PORT=VIP:PORT ...]

The listening sockets are bound first, in the root namespace; then the process joins the bridge
namespace (setns), so every socket it creates afterwards, the outgoing ones, lives there.
"""

import ctypes
import os
import signal
import socket
import sys
import threading

CLONE_NEWNET = 0x40000000
CONNECT_TIMEOUT_S = 2.0
IDLE_TIMEOUT_S = 30.0


def setns(path: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns({path}): {os.strerror(err)}")
    finally:
        os.close(fd)


def pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        # Half-close so the other direction can finish (HTTP/1.0 servers close after the reply).
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def relay(client: socket.socket, target: tuple[str, int]) -> None:
    client.settimeout(IDLE_TIMEOUT_S)
    try:
        upstream = socket.create_connection(target, timeout=CONNECT_TIMEOUT_S)
    except OSError:
        # Nothing answers on the VIP: the client sees the connection closed, as it would a refusal.
        client.close()
        return
    upstream.settimeout(IDLE_TIMEOUT_S)
    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    pump(client, upstream)
    back.join(IDLE_TIMEOUT_S)
    upstream.close()
    client.close()


def serve(listener: socket.socket, target: tuple[str, int]) -> None:
    while True:
        client, _ = listener.accept()
        threading.Thread(target=relay, args=(client, target), daemon=True).start()


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    netns, routes = argv[1], argv[2:]
    listeners = []
    for route in routes:
        listen, _, target = route.partition("=")
        host, _, port = target.rpartition(":")
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(listen)))
        s.listen(64)
        listeners.append((s, (host, int(port))))
    setns(netns)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    for s, target in listeners:
        print(f"vip-relay: 127.0.0.1:{s.getsockname()[1]} -> {target[0]}:{target[1]} in {netns}", flush=True)
        threading.Thread(target=serve, args=(s, target), daemon=True).start()
    signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
