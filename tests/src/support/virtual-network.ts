import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/** One machine on the virtual network: a Linux network namespace with its own loopback and one link. */
export interface VirtualHost {
  name: string;
  /** The namespace's name (`ip netns exec <namespace> …`). */
  namespace: string;
  /** Its address on the network (the end of its link inside the namespace, `eth0`). */
  address: string;
  /** The other end of its link, on the network's bridge: set down, the host is cut off. */
  linkName: string;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/**
 * Why this machine cannot build namespaces (not root, no `ip`, no permission), or undefined when it can.
 * Tried for real: a namespace is added and deleted.
 */
export function whyNoNamespaces(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root (CI runs as root)';
  const probe = `sodertorn-probe-${process.pid}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return undefined;
  } catch (error) {
    return `"ip netns add" failed: ${(error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message}`;
  }
}

/**
 * A virtual LAN: a bridge in this (the test's) namespace, and one namespace per
 * host joined to it by a veth pair. The test reaches the hosts through the bridge,
 * as an operator's workstation would; the hosts reach each other only through it.
 */
export class VirtualNetwork {
  readonly hosts = new Map<string, VirtualHost>();
  private readonly processes = new Set<ChildProcess>();
  private readonly bridge: string;
  private readonly subnet: string;

  constructor(private readonly id = (process.pid % 10_000).toString()) {
    // Interface names have at most 15 characters.
    this.bridge = `shbr${id}`;
    this.subnet = `10.77.${process.pid % 250}`;
    ip('link', 'add', this.bridge, 'type', 'bridge');
    ip('addr', 'add', `${this.subnet}.1/24`, 'dev', this.bridge);
    ip('link', 'set', this.bridge, 'up');
  }

  /** Adds a host with its own namespace, loopback and link; the address is `<subnet>.<number>`. */
  addHost(name: string, number: number): VirtualHost {
    const host: VirtualHost = {
      name,
      namespace: `sh${this.id}-${name}`,
      address: `${this.subnet}.${number}`,
      linkName: `shv${this.id}h${number}`,
    };
    ip('netns', 'add', host.namespace);
    this.hosts.set(name, host);
    ip('link', 'add', host.linkName, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.namespace);
    ip('link', 'set', host.linkName, 'master', this.bridge, 'up');
    ip('-n', host.namespace, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
    ip('-n', host.namespace, 'link', 'set', 'eth0', 'up');
    ip('-n', host.namespace, 'link', 'set', 'lo', 'up');
    return host;
  }

  /** Cuts (down) or restores (up) a host's only link, as a pulled cable or a failed switch port would. */
  setLink(host: VirtualHost, state: 'up' | 'down'): void {
    ip('link', 'set', host.linkName, state);
  }

  /** Runs a command inside a host (`ip netns exec`, which execs it: the child's pid is the command's own). */
  run(host: VirtualHost, command: string, args: string[], env: Record<string, string>, options: { ipc?: boolean } = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', host.namespace, command, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      // A Node child's IPC channel is an inherited descriptor: it passes through the exec.
      stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
    });
    this.processes.add(child);
    child.once('exit', () => this.processes.delete(child));
    return child;
  }

  /** Ends every process still running (SIGTERM, SIGKILL after `graceMs`), then removes the namespaces and the bridge. */
  async destroy(graceMs = 5_000): Promise<void> {
    await Promise.all([...this.processes].map((child) => stopProcess(child, graceMs)));
    for (const host of this.hosts.values()) {
      try {
        ip('netns', 'del', host.namespace); // takes its end of the link, and so the pair, with it
      } catch {
        // already gone
      }
    }
    try {
      ip('link', 'del', this.bridge);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with how the process ended. */
export function stopProcess(child: ChildProcess, graceMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal });
    });
    child.kill('SIGTERM');
  });
}
