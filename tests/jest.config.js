module.exports = { ...require('@sodertorn/testing/jest-preset'), displayName: 'e2e' };
