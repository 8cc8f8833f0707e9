const preset = require('@sodertorn/testing/jest-preset');
const swc = preset.transform['^.+\\.ts$'];

/** ES-module-only packages the web server uses (openid-client and what it imports): jest loads them as CommonJS. */
const ES_MODULES = ['openid-client', 'oauth4webapi', 'jose'];

module.exports = {
  ...preset,
  displayName: 'e2e',
  transform: { ...preset.transform, [`/node_modules/(.*/)?(${ES_MODULES.join('|')})/.+\\.js$`]: swc },
  transformIgnorePatterns: [`/node_modules/(?!(.*/)?(${ES_MODULES.join('|')})/)`],
};
