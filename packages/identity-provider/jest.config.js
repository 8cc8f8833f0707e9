module.exports = { ...require('../testing/jest-preset'), displayName: 'identity-provider' };
