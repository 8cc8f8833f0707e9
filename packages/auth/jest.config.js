module.exports = { ...require('@sodertorn/testing/jest-preset'), displayName: 'auth' };
