import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from './logger';

/** What the log says about one kind of watched files (TLS material, the trusted issuers, …). */
export interface WatchedFilesMessages<T> {
  /** Logged (info) after a reload that changed the material. */
  reloaded: string;
  /** Logged (error) when a reload fails; the material in use is kept. */
  failed: string;
  /** Logged (warn) when the directory cannot be watched; SIGHUP still reloads. */
  watchFailed: string;
  /** The log field that names the files' label (default `files`). */
  labelField?: string;
  /** More fields for the `reloaded` line, from the new material. */
  details?: (value: T) => Record<string, unknown>;
}

/**
 * Files that are read again whenever they change on disk (a file watch on their
 * directories, so an atomic rename or a Kubernetes Secret or ConfigMap update is
 * seen) or the process gets SIGHUP. `parse` turns the files' texts into what is
 * used; a reload that fails to read or parse — a half-written file, a key that
 * does not match its certificate, JSON cut short — keeps what is in use and logs
 * why: a change gone wrong never takes a running service down.
 */
export class WatchedFiles<T> {
  private value: T;
  private texts: string[];
  private readonly listeners = new Set<(value: T) => void>();
  private readonly watchers: FSWatcher[] = [];
  private debounce: NodeJS.Timeout | undefined;

  /** Reads and parses the files once (throwing, naming the file, if they cannot be used), then watches them. */
  constructor(
    /** What these files are, for the log (`server`, `clients-ca`, `trusted issuers`). */
    readonly label: string,
    readonly files: readonly string[],
    private readonly parse: (texts: string[]) => T,
    private readonly logger: Logger,
    private readonly messages: WatchedFilesMessages<T>,
  ) {
    const loaded = this.read();
    this.value = loaded.value;
    this.texts = loaded.texts;
    this.start();
  }

  get current(): T {
    return this.value;
  }

  /** Called with the new material after each reload that changed it. */
  onChange(listener: (value: T) => void): void {
    this.listeners.add(listener);
  }

  /** Reads the files again; true if they changed and the new material is now in use. */
  reload(): boolean {
    let loaded: { value: T; texts: string[] };
    try {
      loaded = this.read();
    } catch (error) {
      this.logger.error({ ...this.labelled(), reason: (error as Error).message }, this.messages.failed);
      return false;
    }
    if (loaded.texts.every((text, i) => text === this.texts[i])) return false;
    this.value = loaded.value;
    this.texts = loaded.texts;
    this.logger.info({ ...this.labelled(), ...this.messages.details?.(this.value) }, this.messages.reloaded);
    for (const listener of this.listeners) listener(this.value);
    return true;
  }

  close(): void {
    clearTimeout(this.debounce);
    for (const watcher of this.watchers) watcher.close();
    this.watchers.length = 0;
    RELOAD_ON_SIGHUP.delete(this);
  }

  private labelled(): Record<string, string> {
    return { [this.messages.labelField ?? 'files']: this.label };
  }

  private read(): { value: T; texts: string[] } {
    const texts = this.files.map((file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        throw new Error(`${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    });
    return { value: this.parse(texts), texts };
  }

  /** Watches each file's directory (a watch on the file itself ends when the file is replaced by a rename). */
  private start(): void {
    const names = new Set(this.files.map((file) => basename(file)));
    for (const dir of new Set(this.files.map((file) => dirname(file)))) {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        // Kubernetes swaps a `..data` symlink rather than the files: any change in the directory counts.
        if (name && !names.has(name) && !name.startsWith('..')) return;
        clearTimeout(this.debounce);
        // Writers create, then write: wait for the burst of events to settle before reading.
        this.debounce = setTimeout(() => this.reload(), 150);
      });
      watcher.on('error', (error) => this.logger.warn({ ...this.labelled(), reason: error.message }, this.messages.watchFailed));
      this.watchers.push(watcher);
    }
    RELOAD_ON_SIGHUP.add(this);
    reloadOnSighup();
  }
}

/** Every set of watched files in this process; SIGHUP reloads them all. */
const RELOAD_ON_SIGHUP = new Set<{ reload(): boolean }>();
let sighupListening = false;

/** Reloads every watched file on SIGHUP (the signal's default would end the process). */
function reloadOnSighup(): void {
  if (sighupListening) return;
  sighupListening = true;
  process.on('SIGHUP', () => {
    for (const files of RELOAD_ON_SIGHUP) files.reload();
  });
}
