// Relative path: @sodertorn/testing depends on this package, not the other way round.
module.exports = { ...require('../testing/jest-preset'), displayName: 'solver' };
