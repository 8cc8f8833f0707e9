// The synthetic personnummer now lives in @sodertorn/testing, for every workspace's tests.
export { syntheticPersonnummer } from '@sodertorn/testing';
