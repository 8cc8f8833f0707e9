// By relative path: @sodertorn/testing depends on this package, so this package cannot depend on it back.
module.exports = { ...require('../testing/jest-preset'), displayName: 'postgres' };
