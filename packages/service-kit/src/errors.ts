// Every client-facing error lives in @sodertorn/errors (one class per code); services import them from here too.
export * from '@sodertorn/errors';
