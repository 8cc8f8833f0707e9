module.exports = { ...require('@sodertorn/testing/jest-preset'), displayName: 'service-kit' };
