// Relative path, as in packages/auth: the preset lives in @sodertorn/testing.
module.exports = { ...require('../testing/jest-preset'), displayName: 'shard-client' };
